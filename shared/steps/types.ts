import * as z from 'zod';
import type { TradingConfig } from '../domain/config.js';
import type {
  Broker,
  Calendar,
  Clock,
  Mailer,
  MarketData,
  NewsSource,
  StateStore,
  Venue,
} from '../ports/index.js';

/** Scores a headline on VADER's compound scale (−1..1). */
export interface SentimentScorer {
  compound(text: string): number;
}

/** What every step may use; the runtime (Lambda, local run or backtest) wires it once. */
export interface StepDeps {
  readonly config: TradingConfig;
  readonly marketData: MarketData;
  readonly broker: Broker;
  readonly venue: Venue;
  readonly calendar: Calendar;
  readonly store: StateStore;
  /** Null in a backtest: a simulated day sends no email */
  readonly mailer: Mailer | null;
  readonly clock: Clock;
  /** Both null when no news source is configured: news-sentiment then reports itself inactive */
  readonly news: NewsSource | null;
  readonly sentiment: SentimentScorer | null;
}

/** What a Catch on States.ALL writes into the state before the failure report. */
export const WorkflowErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() });

/**
 * The small document passed from step to step (the state machine's payload, under 256 KB): the
 * trading date keys everything, the rest is a summary for logs and the report. Bulky data goes
 * through the state store.
 */
export const RunStateSchema = z.object({
  tradingDate: z.iso.date(),
  /** The execution that claimed the trading date (its id, or a name locally) */
  runId: z.string().min(1),
  /** Set by check-calendar; false ends the run with a market-closed report */
  marketOpen: z.boolean().optional(),
  /** Why the market is closed: "weekend" or the holiday */
  closedReason: z.string().optional(),
  /** True when this run took over an unfinished run of the same date */
  resumed: z.boolean().optional(),
  /** The last step that completed: a failure happened in the one after it */
  lastStep: z.string().optional(),
  equity: z.number().optional(),
  cash: z.number().optional(),
  /** The report's numbers, for the run's metrics */
  dailyReturn: z.number().nullable().optional(),
  heat: z.number().optional(),
  drawdown: z.number().optional(),
  regime: z.enum(['low', 'normal', 'high']).optional(),
  tradingState: z.enum(['ACTIVE', 'REDUCING', 'HALTED']).optional(),
  counts: z.record(z.string(), z.number().int().nonnegative()).optional(),
  error: WorkflowErrorSchema.optional(),
});
export type RunState = z.infer<typeof RunStateSchema>;

export type Step = (state: RunState) => Promise<RunState>;
export type StepFactory = (deps: StepDeps) => Step;

/** Adds to the run's counters without losing the earlier steps' counts. */
export const withCounts = (state: RunState, counts: Record<string, number>): RunState => ({
  ...state,
  counts: { ...state.counts, ...counts },
});
