import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { EmailMessage } from '../ports/index.js';

/** Who a message is from and to: from the config's email settings. */
export interface Envelope {
  readonly from: string;
  readonly to: readonly string[];
}

/**
 * The message as one raw MIME document: a multipart/alternative of the text and the HTML, the
 * HTML's images related to it by content id. SES sends these bytes as they are (SendRawEmail), and
 * the local outbox writes the same bytes as its `.eml`. nodemailer's composer does the encoding
 * (quoted-printable, encoded-word subjects, line lengths) that mail clients are strict about.
 */
export async function composeMime(message: EmailMessage, envelope: Envelope): Promise<Buffer> {
  const composer = new MailComposer({
    from: envelope.from,
    to: [...envelope.to],
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: (message.images ?? []).map((image) => ({
      cid: image.cid,
      filename: image.filename,
      content: Buffer.from(image.png),
      contentType: 'image/png',
      contentDisposition: 'inline' as const,
    })),
    // A fixed date would be wrong, and none at all makes some clients show the receipt time
    date: new Date(),
  });
  return composer.compile().build();
}
