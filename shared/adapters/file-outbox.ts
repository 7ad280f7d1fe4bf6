import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailMessage, Mailer } from '../ports/index.js';
import { composeMime, type Envelope } from './mime.js';

const LOCAL_ENVELOPE: Envelope = { from: 'trading-bot@localhost', to: ['you@localhost'] };

// The .html opened in a browser has no message around it to resolve `cid:` links: the images go
// inline as data URIs there, and the .eml keeps them as the related parts a mail client reads
function standaloneHtml({ html, images = [] }: EmailMessage): string {
  return images.reduce(
    (page, { cid, png }) =>
      page.replaceAll(`cid:${cid}`, `data:image/png;base64,${Buffer.from(png).toString('base64')}`),
    html,
  );
}

/**
 * The local mailer: each message becomes `<date>-<kind>.eml`, the same MIME bytes SES would send
 * (open it in a mail client), and `<date>-<kind>.html`, its HTML part for a browser.
 */
export class FileOutbox implements Mailer {
  readonly #dir: string;
  readonly #envelope: Envelope;

  constructor(dir: string, envelope: Envelope = LOCAL_ENVELOPE) {
    this.#dir = dir;
    this.#envelope = envelope;
  }

  async send(message: EmailMessage): Promise<string> {
    await mkdir(this.#dir, { recursive: true });
    const name = join(this.#dir, `${message.tradingDate}-${message.kind}`);
    await writeFile(`${name}.html`, standaloneHtml(message));
    await writeFile(`${name}.eml`, await composeMime(message, this.#envelope));
    return `${name}.eml`;
  }
}
