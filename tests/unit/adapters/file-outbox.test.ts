import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { FileOutbox } from '../../../shared/adapters/file-outbox.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('FileOutbox', () => {
  it('writes the message as .eml with the chart as a related part, and .html with it inline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    const where = await new FileOutbox(dir).send({
      kind: 'daily',
      tradingDate: '2023-06-16',
      subject: 'Trading bot 2023-06-16',
      text: 'Equity $99,314.53',
      html: '<p>Equity</p><img src="cid:equity-chart">',
      images: [{ cid: 'equity-chart', filename: 'equity.png', png: PNG }],
    });

    expect(where).toBe(join(dir, '2023-06-16-daily.eml'));
    const eml = await simpleParser(await readFile(where), { skipImageLinks: true });
    expect(eml.html).toContain('src="cid:equity-chart"');
    expect(eml.attachments.map((a) => [a.cid, a.content.equals(PNG)])).toEqual([
      ['equity-chart', true],
    ]);
    const html = await readFile(join(dir, '2023-06-16-daily.html'), 'utf8');
    expect(html).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
    expect(html).not.toContain('cid:');
  });
});
