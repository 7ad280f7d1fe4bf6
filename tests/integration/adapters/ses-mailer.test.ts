import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeMime } from '../../../shared/adapters/mime.js';
import { SesMailer } from '../../../shared/adapters/ses-mailer.js';
import { MailerUnavailableError } from '../../../shared/domain/errors.js';
import type { EmailMessage } from '../../../shared/ports/index.js';

// The smallest valid PNG: its bytes are what must arrive, not a picture
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const message: EmailMessage = {
  kind: 'daily',
  tradingDate: '2023-06-16',
  subject: '[paper] 2023-06-16: equity $99,314.53 (−0.69 %)',
  text: 'Equity $99,314.53\nHeat 39.28 % of 60 %',
  html: '<p>Equity <b>$99,314.53</b></p><img src="cid:equity-chart" alt="equity">',
  images: [{ cid: 'equity-chart', filename: 'equity.png', png: PNG }],
};
const envelope = { from: 'bot@example.com', to: ['me@example.com', 'partner@example.com'] };

// CommonJS with a default export: required, as scripts/local/services.ts requires dynalite
type StartSesLocal = (config: { host: string; port: number }) => Promise<Server>;
const sesLocal = (createRequire(import.meta.url)('aws-ses-v2-local') as { default: StartSesLocal })
  .default;

interface Stored {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  readonly attachments: { readonly content: string; readonly contentType: string }[];
}

let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = await sesLocal({ host: '127.0.0.1', port: 0 });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server?.close(resolve)));
beforeEach(() => fetch(`${endpoint}/clear-store`, { method: 'POST' }));

const client = () =>
  new SESClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
const stored = async () =>
  ((await (await fetch(`${endpoint}/store`)).json()) as { emails: Stored[] }).emails;

describe('SesMailer', () => {
  it('sends one raw message: subject, both recipients, the text and HTML, the chart inline', async () => {
    const where = await new SesMailer(client(), envelope).send(message);

    const [email, ...others] = await stored();
    expect(others).toHaveLength(0);
    expect(where).toBe(`ses:${email!.messageId}`);
    expect(email!.from).toBe('bot@example.com');
    // The To header, as the local SES keeps it: one text for both addresses
    expect(email!.destination.to.join(', ')).toBe('me@example.com, partner@example.com');
    expect(email!.subject).toBe(message.subject);
    expect(email!.body.text?.trim()).toBe(message.text);
    // The local SES's parser resolves the HTML's cid: link to the related image
    expect(email!.body.html).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
    expect(email!.attachments).toHaveLength(1);
    expect(email!.attachments[0]!.contentType).toBe('image/png');
    expect(Buffer.from(email!.attachments[0]!.content, 'base64').equals(PNG)).toBe(true);
  });

  it('turns a refused connection into MailerUnavailableError naming the email', async () => {
    const unreachable = new SESClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });

    const send = new SesMailer(unreachable, envelope).send(message);

    await expect(send).rejects.toThrow(MailerUnavailableError);
    await expect(send).rejects.toThrow(/daily email of 2023-06-16/);
  });
});

describe('composeMime', () => {
  it('keeps the text part readable alone and relates the image to the HTML by content id', async () => {
    const parsed = await simpleParser(await composeMime(message, envelope), {
      skipImageLinks: true,
    });

    expect(parsed.subject).toBe(message.subject);
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain('cid:equity-chart');
    expect(parsed.attachments.map((a) => [a.cid, a.contentDisposition, a.related])).toEqual([
      ['equity-chart', 'inline', true],
    ]);
  });

  it('sends a message without images as text and HTML alone', async () => {
    const { images: _, ...plain } = message;

    const parsed = await simpleParser(await composeMime(plain, envelope));

    expect(parsed.attachments).toHaveLength(0);
    expect(parsed.html).toContain('<b>$99,314.53</b>');
  });
});
