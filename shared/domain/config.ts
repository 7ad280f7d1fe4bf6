import * as z from 'zod';
import { ConfigError } from './errors.js';

export const STRATEGY_IDS = [
  'rsi-mean-reversion',
  'ma-crossover',
  'ml-momentum',
  'news-sentiment',
  'volatility-breakout',
] as const;
export const StrategyIdSchema = z.enum(STRATEGY_IDS);
export type StrategyId = z.infer<typeof StrategyIdSchema>;

const fraction = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();
const holdDays = positiveInt.describe('trading sessions a lot is held before a time exit');

const RsiMeanReversionSchema = z.strictObject({
  period: positiveInt.default(14),
  oversold: z.number().min(0).max(100).default(30),
  overbought: z.number().min(0).max(100).default(70),
  maxHoldDays: holdDays.default(20),
});

const MaCrossoverSchema = z
  .strictObject({
    fastPeriod: positiveInt.default(20),
    slowPeriod: positiveInt.default(50),
    minVolumeRatio: z.number().nonnegative().default(1),
  })
  .refine((c) => c.fastPeriod < c.slowPeriod, {
    message: 'fastPeriod must be shorter than slowPeriod',
    path: ['fastPeriod'],
  });

const MlMomentumSchema = z.strictObject({
  lookbackDays: positiveInt.min(30).default(252),
  horizonDays: positiveInt.default(5),
  threshold: z.number().min(0.5).max(1).default(0.6),
  maxHoldDays: holdDays.default(5),
  retrain: z.enum(['weekly', 'monthly', 'quarterly']).default('monthly'),
  l2: z
    .number()
    .nonnegative()
    .default(1e-3)
    .describe('ridge penalty that keeps a separable window finite'),
});

const NewsSentimentSchema = z.strictObject({
  entryAbove: z.number().min(-1).max(1).default(0.3),
  exitBelow: z.number().min(-1).max(1).default(0),
  maxHoldDays: holdDays.default(10),
  lookbackHours: positiveInt.default(24),
  trendPeriod: positiveInt.default(20),
});

const VolatilityBreakoutSchema = z.strictObject({
  period: positiveInt.default(20),
  stdDevs: z.number().positive().default(2),
  consecutiveCloses: positiveInt.default(2),
  minVolumeRatio: z.number().nonnegative().default(1.5),
  maxHoldDays: holdDays.default(10),
});

const RegimeSchema = z
  .strictObject({
    lowBelow: z.number().positive().default(15),
    highAbove: z.number().positive().default(25),
    maxHeat: z
      .strictObject({
        low: fraction.default(0.4),
        normal: fraction.default(0.3),
        high: fraction.default(0.2),
      })
      .prefault({}),
    disabledInHighVol: z.array(StrategyIdSchema).default(['volatility-breakout']),
  })
  .refine((r) => r.lowBelow <= r.highAbove, {
    message: 'lowBelow must not exceed highAbove',
    path: ['lowBelow'],
  });

// An address as SES and nodemailer take it: no spaces or brackets, a host of dotted labels
// (localhost included, for the outbox). A display name goes in `from` only
const ADDRESS =
  /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const NAMED_ADDRESS = /^[^<>@"\r\n]+<([^<>]+)>$/;
const address = z.string().trim().regex(ADDRESS, 'must look like an address: bot@example.com');
const mailbox = z
  .string()
  .trim()
  .refine((text) => ADDRESS.test(text) || ADDRESS.test(NAMED_ADDRESS.exec(text)?.[1] ?? ''), {
    message: 'must look like an address: bot@example.com or "Trading bot <bot@example.com>"',
  });

const EmailSchema = z.strictObject({
  from: mailbox.default('trading-bot@localhost').describe('the sender; SES must have it verified'),
  to: z.array(address).min(1).default(['you@localhost']),
  subjectPrefix: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[^\r\n]*$/, 'must be one line')
    .default('Trading bot')
    .describe('starts every subject: the daily, market-closed and failure emails'),
});
export type EmailSettings = z.infer<typeof EmailSchema>;

/** The universe of the shipped data (data/): the symbols a live run trades unless told. */
// biome-ignore format: a table of tickers
export const SHIPPED_UNIVERSE = [
  'AAPL', 'AMT', 'AMZN', 'BA', 'BAC', 'CAT', 'COP', 'COST', 'CSCO', 'CVX', 'DUK', 'FCX',
  'GOOGL', 'GS', 'HD', 'JNJ', 'JPM', 'KO', 'MCD', 'META', 'MRK', 'MSFT', 'NEE', 'NFLX',
  'NVDA', 'PFE', 'PG', 'PLD', 'SHW', 'TSLA', 'UNH', 'UNP', 'V', 'VZ', 'WMT', 'XOM',
] as const;

const AlpacaSchema = z.strictObject({
  mode: z
    .enum(['paper', 'live'])
    .default('paper')
    .describe('live trades real money, and only when the secret names the live endpoint too'),
  feed: z.enum(['iex', 'sip']).default('iex').describe('sip needs a market data subscription'),
  universe: z
    .array(z.string().regex(/^[A-Z][A-Z.]{0,9}$/, 'an uppercase ticker'))
    .min(1)
    .refine((symbols) => new Set(symbols).size === symbols.length, 'must not repeat a symbol')
    .default([...SHIPPED_UNIVERSE]),
});
export type AlpacaSettings = z.infer<typeof AlpacaSchema>;

export const TradingConfigSchema = z.strictObject({
  initialCapital: z.number().positive().default(100_000),
  strategies: z
    .strictObject({
      enabled: z
        .array(StrategyIdSchema)
        .min(1)
        .default([...STRATEGY_IDS]),
      'rsi-mean-reversion': RsiMeanReversionSchema.prefault({}),
      'ma-crossover': MaCrossoverSchema.prefault({}),
      'ml-momentum': MlMomentumSchema.prefault({}),
      'news-sentiment': NewsSentimentSchema.prefault({}),
      'volatility-breakout': VolatilityBreakoutSchema.prefault({}),
    })
    .prefault({}),
  regime: RegimeSchema.prefault({}),
  correlation: z
    .strictObject({
      lookbackDays: positiveInt.min(5).default(60),
      maxCorrelation: z.number().min(-1).max(1).default(0.7),
    })
    .prefault({}),
  sizing: z
    .strictObject({
      riskPerTrade: fraction.default(0.01),
      atrPeriod: positiveInt.default(14),
      stopAtrMultiple: z.number().positive().default(2),
      maxPositionFraction: fraction.default(0.1),
    })
    .prefault({}),
  risk: z
    .strictObject({
      maxPositions: positiveInt.default(10),
      maxPositionsPerSymbol: positiveInt.default(2),
      dailyLossLimit: fraction
        .default(0.02)
        .describe('REDUCING when equity falls this far below the previous close'),
      maxDrawdownHalt: fraction
        .nullable()
        .default(null)
        .describe('HALTED when drawdown from peak reaches this; off when null'),
      // Optional so that the parsed default config, which summary.json echoes, stays as it was
      heatShare: z
        .partialRecord(StrategyIdSchema, fraction)
        .optional()
        .describe(
          "per strategy, the fraction of the regime's heat cap its positions may take; a strategy not named may take all of it",
        ),
      // Optional for the same reason; STALE_VIX_SESSIONS when not set
      maxStaleVixSessions: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe(
          'sessions a stale VIX close (CBOE down or late) may stand in before new entries are refused; exits still run',
        ),
    })
    .prefault({}),
  exits: z
    .strictObject({
      profitTargetAtr: z.number().positive().nullable().default(null),
    })
    .prefault({}),
  costs: z
    .strictObject({
      enabled: z.boolean().default(true),
      slippageBps: z.number().nonnegative().default(7.5),
      commissionPerShare: z.number().nonnegative().default(0.005),
    })
    .prefault({}),
  metrics: z
    .strictObject({
      riskFreeRate: z.number().default(0).describe('annual, as a fraction'),
      benchmark: z
        .enum(['equal-weight', 'spy', 'sp500'])
        .default('equal-weight')
        .describe(
          'spy and sp500 read data/benchmark/ and end before the stock data: days without a value are left out of alpha and beta',
        ),
    })
    .prefault({}),
  // Optional, unlike the other sections: the backtest's summary.json echoes the parsed config, and
  // a backtest sends no mail. emailSettings() fills the defaults
  email: EmailSchema.optional(),
  // Optional for the same reason: only a run on Alpaca reads it. alpacaSettings() fills defaults
  alpaca: AlpacaSchema.optional(),
});

export type TradingConfig = z.infer<typeof TradingConfigSchema>;
export type TradingConfigInput = z.input<typeof TradingConfigSchema>;

/** Parses a config object, filling defaults; a bad field fails naming its path and what was expected. */
export function parseConfig(input: unknown, source = 'config'): TradingConfig {
  const result = TradingConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `  ${path}: ${issue.message}`;
  });
  throw new ConfigError(`${source} is invalid:\n${problems.join('\n')}`);
}

/** The defaults, as a fully parsed config. */
export const defaultConfig = (): TradingConfig => parseConfig({});

/** Who the run's emails are from and to, and their subject prefix: the config's, or the defaults. */
export const emailSettings = (config: TradingConfig): EmailSettings =>
  config.email ?? EmailSchema.parse({});

/** The sender and recipients the mailer adapters (FileOutbox, SesMailer) take as their envelope. */
export function emailEnvelope(config: TradingConfig): { from: string; to: readonly string[] } {
  const { from, to } = emailSettings(config);
  return { from, to };
}

/** The Alpaca settings with their defaults: paper, the iex feed, the shipped universe. */
export function alpacaSettings(config: TradingConfig): AlpacaSettings {
  return config.alpaca ?? AlpacaSchema.parse({});
}
