import type { Node } from 'constructs';
import * as z from 'zod';
import { readConfigFile } from '../../shared/adapters/config-file.js';
import { emailEnvelope, parseConfig } from '../../shared/domain/config.js';
import { AFTER_THE_CLOSE_MINUTES } from '../../shared/steps/check-calendar.js';

// CDK context arrives as strings from `-c key=value` and as JSON values from cdk.json: both parse
const number = (fallback: number) => z.coerce.number().default(fallback);
const flag = z
  .union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')])
  .default(true);

const ContextSchema = z.object({
  /** A JSON file of trading-config overrides; none: the defaults ("{}") */
  configFile: z.string().min(1).optional(),
  // The no-run alarm counts New York calendar days: the run must start and end on its own date
  scheduleHour: number(16).pipe(z.number().int().min(0).max(23)),
  scheduleMinute: number(15).pipe(z.number().int().min(0).max(59)),
  /** The circuit breaker trips when the day's return is at or below this, percent */
  dailyLossPercent: number(-2).pipe(z.number().negative()),
  /**
   * Minutes between the equity probe's readings in the session; 0: no probe, the breaker sees
   * only the report's reading after the close. A divisor of 60, so the readings keep one spacing
   * across the hour (the schedule's cron restarts each hour at minute 0)
   */
  equityProbeMinutes: number(15).pipe(
    z
      .number()
      .int()
      .refine((minutes) => minutes === 0 || (minutes > 0 && 60 % minutes === 0), {
        message: '0 (off) or a divisor of 60: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60',
      }),
  ),
  alertEmail: z.email().optional(),
  /** Verified SES identities (addresses or domains), comma-separated; default: the config's addresses */
  sesIdentities: z
    .string()
    .transform((text) => text.split(',').map((identity) => identity.trim()))
    .pipe(z.array(z.string().min(1)).min(1))
    .optional(),
  tracing: flag,
  /** Shards of a backtest started with a spec document, and how many Fargate tasks run at once */
  backtestShards: number(4).pipe(z.number().int().min(1).max(50)),
  backtestConcurrency: number(4).pipe(z.number().int().min(1).max(50)),
});

/** What the CDK app is told through its context, validated, with the trading config it deploys. */
export interface AppSettings {
  readonly schedule: { readonly hour: number; readonly minute: number };
  readonly dailyLossPercent: number;
  /** Minutes between the equity probe's readings in the session; 0: no probe */
  readonly equityProbeMinutes: number;
  readonly alertEmail?: string;
  /** The config parameter's value: the overrides as given, compact */
  readonly tradingConfig: string;
  /** The SES identities the report function may send as */
  readonly sesIdentities: readonly string[];
  /** X-Ray tracing of the state machine and the functions */
  readonly tracing: boolean;
  /** The backtest state machine's default shards and Map concurrency; default 4 and 4 */
  readonly backtest?: { readonly shards: number; readonly maxConcurrency: number };
}

/** The app's settings from its context; throws naming the key and the file that are wrong. */
export async function readSettings(node: Node): Promise<AppSettings> {
  const keys = Object.keys(ContextSchema.shape);
  const parsed = ContextSchema.safeParse(
    Object.fromEntries(keys.map((k) => [k, node.tryGetContext(k)])),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`CDK context: ${problems.join('; ')}`);
  }
  const context = parsed.data;
  // check-calendar refuses a run before then: a schedule inside the session would fail every day
  const { scheduleHour: hour, scheduleMinute: minute } = context;
  if (hour * 60 + minute < 16 * 60 + AFTER_THE_CLOSE_MINUTES) {
    const at = `${hour}:${String(minute).padStart(2, '0')}`;
    throw new Error(
      `CDK context: scheduleHour: the daily run starts after the close, at ` +
        `16:${AFTER_THE_CLOSE_MINUTES} New York time or later, not ${at}`,
    );
  }
  // Validated here, so that a bad config fails the synth rather than the first run
  const overrides = await readConfigFile(context.configFile);
  const config = parseConfig(overrides, context.configFile ?? 'config');
  const { from, to } = emailEnvelope(config);
  return {
    schedule: { hour: context.scheduleHour, minute: context.scheduleMinute },
    dailyLossPercent: context.dailyLossPercent,
    equityProbeMinutes: context.equityProbeMinutes,
    ...(context.alertEmail && { alertEmail: context.alertEmail }),
    tradingConfig: JSON.stringify(overrides),
    // In the SES sandbox, SES authorizes each recipient's identity as well as the sender's
    sesIdentities: context.sesIdentities ?? [bareAddress(from), ...to],
    tracing: context.tracing,
    backtest: { shards: context.backtestShards, maxConcurrency: context.backtestConcurrency },
  };
}

// `Trading bot <bot@example.com>` → `bot@example.com`: an SES identity is the address alone
const bareAddress = (mailbox: string) => /<([^<>]+)>$/.exec(mailbox)?.[1] ?? mailbox;
