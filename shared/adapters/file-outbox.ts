import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailMessage, Mailer } from '../ports/index.js';

const BOUNDARY = 'daily-run-boundary';

/** The message as a MIME text: what SES would send, readable by any mail client. */
function mime(message: EmailMessage, from: string, to: string): string {
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${message.subject}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${BOUNDARY}"`,
    '',
    `--${BOUNDARY}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    message.text,
    `--${BOUNDARY}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    message.html,
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n');
}

/** The local mailer: each message becomes `<date>-<kind>.eml` and `.html` in a folder. */
export class FileOutbox implements Mailer {
  readonly #dir: string;
  readonly #from: string;
  readonly #to: string;

  constructor(dir: string, from = 'trading-bot@localhost', to = 'you@localhost') {
    this.#dir = dir;
    this.#from = from;
    this.#to = to;
  }

  async send(message: EmailMessage): Promise<string> {
    await mkdir(this.#dir, { recursive: true });
    const name = join(this.#dir, `${message.tradingDate}-${message.kind}`);
    await writeFile(`${name}.html`, message.html);
    await writeFile(`${name}.eml`, mime(message, this.#from, this.#to));
    return `${name}.eml`;
  }
}
