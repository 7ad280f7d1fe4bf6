import * as z from 'zod';
import { ConfigError } from '../domain/errors.js';

/**
 * What a handler reads from its environment, parsed once at cold start: a bad deploy fails on its
 * first invoke, naming the variable. Secrets are never here (Secrets Manager in AWS).
 */
export const EnvSchema = z.object({
  /** The venue: the persisted simulated broker, or Alpaca (keys from ALPACA_SECRET_ID or APCA_*) */
  BROKER: z.enum(['simulated', 'alpaca']).default('simulated'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  STATE_TABLE: z.string().min(3),
  STATE_BUCKET: z.string().min(3),
  STATE_PREFIX: z.string().default(''),
  /** Local stand-ins (dynalite, s3rver); unset in AWS */
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  /** The trading config (JSON overrides of the defaults) in a file; neither this nor the parameter: the defaults */
  TRADING_CONFIG_FILE: z.string().min(1).optional(),
  /** The deployed bot's config: an SSM String parameter holding the same JSON */
  TRADING_CONFIG_PARAMETER: z.string().min(1).optional(),
  /** `true`: the broker is read, never written (npm start -- --dry-run, on a scratch state) */
  DRY_RUN: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** CBOE's VIX history file, when not CBOE's own (an Alpaca run; a test serves it locally) */
  VIX_URL: z.url().optional(),
  /** The Secrets Manager secret with the Alpaca keys and endpoint (its ARN or name, never the keys) */
  ALPACA_SECRET_ID: z.string().min(1).optional(),
  /** Each Alpaca request's timeout (the SDK's 30 s unless set); a timed-out submit is looked up */
  ALPACA_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  /** The first backoff of the SDK's read retries (500 ms unless set; tests shorten it) */
  ALPACA_RETRY_DELAY_MS: z.coerce.number().int().positive().optional(),
  /** The simulated venue's data folder and its persisted state */
  DATA_DIR: z.string().min(1).optional(),
  VENUE_FILE: z.string().min(1).optional(),
  /**
   * `ses`: Amazon SES in AWS_REGION; `outbox`: each email as .eml and .html in OUTBOX_DIR;
   * `none`: no email (a replay of history)
   */
  MAILER: z.enum(['ses', 'outbox', 'none']).default('outbox'),
  /** Where the local mailer writes each email (.eml and .html) */
  OUTBOX_DIR: z.string().min(1).optional(),
  /** `trading-date`: "now" is the run's trading date at RUN_TIME New York, for local and replayed runs */
  RUN_CLOCK: z.enum(['system', 'trading-date']).default('system'),
  RUN_TIME: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('16:15'),
});
export type Env = z.infer<typeof EnvSchema>;

/** The environment, or a ConfigError naming every variable that is missing or wrong. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}
