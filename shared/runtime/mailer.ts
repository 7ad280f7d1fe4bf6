import { SESClient } from '@aws-sdk/client-ses';
import { FileOutbox } from '../adapters/file-outbox.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { emailEnvelope } from '../domain/config.js';
import { ConfigError } from '../domain/errors.js';
import type { Mailer } from '../ports/index.js';
import type { Part } from './deps.js';

/** The mailer part: SES in AWS, the outbox folder locally, or none (a replay sends no email). */
export const mailer: Part<Mailer | null> = ({ env, config }) => {
  switch (env.MAILER) {
    case 'none':
      return null;
    case 'ses':
      return new SesMailer(new SESClient({ region: env.AWS_REGION }), emailEnvelope(config));
    case 'outbox':
      if (env.OUTBOX_DIR === undefined) {
        throw new ConfigError('MAILER=outbox needs OUTBOX_DIR, the folder the emails go to');
      }
      return new FileOutbox(env.OUTBOX_DIR, emailEnvelope(config));
  }
};
