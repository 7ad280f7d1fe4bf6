import type { STEPS, StepName } from '../../shared/steps/pipeline.js';

/** A Lambda function of the daily run: the calendar check, then one per pipeline step. */
export type WorkflowFunction = 'check-calendar' | StepName;

type NamesOf<T extends readonly (readonly [string, unknown])[]> = {
  [K in keyof T]: T[K] extends readonly [infer Name, unknown] ? Name : never;
};

// A type-checked copy of STEPS' names rather than a runtime import: the CDK app and the local
// runner then load no trading code, and tsc fails if a step is added, removed or reordered
/** The pipeline's steps, in run order. */
export const STEP_NAMES = [
  'fetch-data',
  'detect-regime',
  'generate-signals',
  'filter-correlation',
  'size-positions',
  'check-risk',
  'execute-orders',
  'monitor-exits',
  'report',
] as const satisfies NamesOf<typeof STEPS>;

/** Every function the workflow invokes, in run order; the CDK stack and the local runner share it. */
export const WORKFLOW_FUNCTIONS = ['check-calendar', ...STEP_NAMES] as const;

/**
 * The circuit breaker's functions outside the workflow: the halt function, which the breaker topic
 * invokes, and the equity probe, whose intraday readings feed the daily-loss alarm (the stack
 * leaves the probe out when `equityProbeMinutes` is 0).
 */
export const ALARM_FUNCTIONS = ['halt', 'equity-probe'] as const;

/** The backtest state machine's function: it merges the Fargate tasks' shards (backtest-stack.ts). */
export const BACKTEST_FUNCTIONS = ['backtest-merge'] as const;

/** Every Lambda function of the bot: the workflow's, the alarm's and the backtests'. */
export type BotFunction =
  | WorkflowFunction
  | (typeof ALARM_FUNCTIONS)[number]
  | (typeof BACKTEST_FUNCTIONS)[number];

/** A part of the wiring a handler may name beyond the core (shared/runtime/deps.ts, `Uses`). */
export type WiringPart = 'market' | 'objects' | 'mailer' | 'calendar' | 'news';

/** The parts that reach Alpaca (with BROKER=alpaca, as deployed): each needs the secret. */
export const ALPACA_PARTS = ['market', 'calendar', 'news'] as const satisfies readonly WiringPart[];

/**
 * The parts each function's handler names in its `uses`: what its role is granted beyond the
 * table and the config (the Alpaca secret for the market, the calendar and the news, the bucket
 * for the objects, SES for the mailer). A copy, as STEP_NAMES is; a test checks it against every
 * handler.
 */
export const FUNCTION_PARTS = {
  'check-calendar': ['calendar'],
  'fetch-data': ['market', 'objects', 'calendar'],
  'detect-regime': [],
  'generate-signals': ['news'],
  'filter-correlation': [],
  'size-positions': [],
  // Asks the venue about the day's candidates: an inactive or untradable asset gets no entry
  'check-risk': ['market'],
  'execute-orders': ['market'],
  'monitor-exits': ['market'],
  report: ['mailer'],
  // Cancels the open entries at the broker and mails the alert
  halt: ['market', 'mailer'],
  // Reads the account's live equity at the broker (and the previous close from the table) in
  // the calendar's session
  'equity-probe': ['market', 'calendar'],
  // Reads the shards and writes the merged files under backtests/ (a prefix grant), mails a summary
  'backtest-merge': ['objects', 'mailer'],
} as const satisfies Record<BotFunction, readonly WiringPart[]>;
