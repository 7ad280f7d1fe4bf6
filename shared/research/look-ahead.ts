import { runBacktest } from '../backtest/engine.js';
import type { StrategyId, TradingConfig } from '../domain/config.js';
import { historyThrough, type MarketHistory } from '../domain/market/history.js';

/** What a strategy decided at a close, without what the market later made of it. */
export interface Decision {
  readonly date: string;
  readonly symbol: string;
  readonly side: string;
  readonly qty: number;
  readonly strategy: string;
  readonly reason: string;
}

/** Decisions made over a history, oldest first: a strategy run through the pipeline, or a fixture. */
export type DecisionSource = (history: MarketHistory) => Promise<readonly Decision[]>;

export interface LookAheadResult {
  readonly cuts: readonly string[];
  readonly decisions: number;
  /** The first decision that changed when the data was cut, or null when none did */
  readonly firstDifference: {
    readonly cut: string;
    readonly full: Decision | null;
    readonly truncated: Decision | null;
  } | null;
}

/** One strategy alone through the whole pipeline (sizing, risk, execution): its orders as decisions. */
export const strategyDecisions =
  (config: TradingConfig, strategy: StrategyId, from?: string): DecisionSource =>
  async (history) => {
    const only = { ...config, strategies: { ...config.strategies, enabled: [strategy] } };
    const run = await runBacktest(history, only, from === undefined ? {} : { from });
    return run.orders.map((o) => ({
      date: o.decisionDate,
      symbol: o.symbol,
      side: o.side,
      qty: o.qty,
      strategy: o.strategy,
      reason: o.reason,
    }));
  };

/** `count` day indices spread evenly over [first, last). */
export function cutPoints(first: number, last: number, count: number): number[] {
  const span = last - first;
  const cuts = Array.from(
    { length: count },
    (_, i) => first + Math.floor(((i + 1) * span) / (count + 1)),
  );
  return [...new Set(cuts)];
}

/**
 * Decisions on the full data against decisions on the data cut after each cut day: a decision at
 * or before the cut may use only data through the cut's close, so none of them may change.
 */
export async function lookAhead(
  history: MarketHistory,
  decide: DecisionSource,
  cuts: readonly number[],
): Promise<LookAheadResult> {
  const full = await decide(history);
  const cutDates = cuts.map((d) => history.dates[d]!);
  for (const [i, cut] of cuts.entries()) {
    const date = cutDates[i]!;
    const truncated = (await decide(historyThrough(history, cut))).filter((x) => x.date <= date);
    const expected = full.filter((x) => x.date <= date);
    const at = firstDifference(expected, truncated);
    if (at !== -1) {
      return {
        cuts: cutDates,
        decisions: full.length,
        firstDifference: {
          cut: date,
          full: expected[at] ?? null,
          truncated: truncated[at] ?? null,
        },
      };
    }
  }
  return { cuts: cutDates, decisions: full.length, firstDifference: null };
}

function firstDifference(a: readonly Decision[], b: readonly Decision[]): number {
  const same = (x: Decision, y: Decision) =>
    x.date === y.date &&
    x.symbol === y.symbol &&
    x.side === y.side &&
    x.qty === y.qty &&
    x.strategy === y.strategy &&
    x.reason === y.reason;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined || b[i] === undefined || !same(a[i]!, b[i]!)) return i;
  }
  return -1;
}
