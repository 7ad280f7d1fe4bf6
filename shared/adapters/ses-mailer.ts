import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { MailerUnavailableError } from '../domain/errors.js';
import type { EmailMessage, Mailer } from '../ports/index.js';
import { isTransientAwsError } from './aws-clients.js';
import { composeMime, type Envelope } from './mime.js';

/** The run's email through Amazon SES: one raw MIME message, so the chart travels inline. */
export class SesMailer implements Mailer {
  readonly #client: SESClient;
  readonly #envelope: Envelope;

  constructor(client: SESClient, envelope: Envelope) {
    this.#client = client;
    this.#envelope = envelope;
  }

  /** Returns SES's message id. Throttling, 5xx and the network become MailerUnavailableError. */
  async send(message: EmailMessage): Promise<string> {
    const data = await composeMime(message, this.#envelope);
    try {
      const { MessageId } = await this.#client.send(
        new SendRawEmailCommand({
          Source: this.#envelope.from,
          Destinations: [...this.#envelope.to],
          RawMessage: { Data: data },
        }),
      );
      return `ses:${MessageId}`;
    } catch (error) {
      if (!isTransientAwsError(error)) throw error;
      const { name, message: reason } = error as Error;
      throw new MailerUnavailableError(
        `SES could not send the ${message.kind} email of ${message.tradingDate}: ${name}: ${reason}`,
        { cause: error },
      );
    }
  }
}
