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
  /** An entry's protective stop and profit target as decided (a pipeline's decisions have them) */
  readonly stopPrice?: number;
  readonly targetPrice?: number | null;
  /** Turned away by the risk checks at the decision, before anything was sent */
  readonly riskRejected?: boolean;
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

/**
 * One strategy alone through the whole pipeline (sizing, risk, execution): its journal as
 * decisions. The journal's intent, not the venue's answer: a fill or a refusal at the next open is
 * the market's doing, and on data cut at the decision's close there is no next open to give one.
 */
export const strategyDecisions =
  (config: TradingConfig, strategy: StrategyId, from?: string): DecisionSource =>
  async (history) => {
    const only = { ...config, strategies: { ...config.strategies, enabled: [strategy] } };
    const run = await runBacktest(history, only, from === undefined ? {} : { from });
    return run.journal.map((record) => ({
      date: record.decisionDate,
      symbol: record.symbol,
      side: record.side,
      qty: record.qty,
      strategy: record.strategy,
      reason: record.reason,
      ...(record.stopPrice !== undefined && { stopPrice: record.stopPrice }),
      ...(record.targetPrice !== undefined && { targetPrice: record.targetPrice }),
      riskRejected: record.riskRejected,
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
 * `count` of the days in [first, last) on which `decisions` decided something, spread evenly over
 * them. A rule that reads the next bar changes only the decisions made at the cut's own close, so
 * a cut on a day without decisions cannot show it: a strategy that decides on one day in ten
 * passed every one of eight evenly spread cuts with such a leak.
 */
export function decisionCuts(
  history: MarketHistory,
  decisions: readonly Decision[],
  first: number,
  last: number,
  count: number,
): number[] {
  const index = new Map(history.dates.map((date, d) => [date, d]));
  const days = [...new Set(decisions.map((decision) => index.get(decision.date)!))]
    .filter((d) => d >= first && d < last)
    .sort((a, b) => a - b);
  if (days.length <= count) return days;
  return [
    ...new Set(
      Array.from({ length: count }, (_, i) => days[Math.floor(((i + 0.5) * days.length) / count)]!),
    ),
  ];
}

/** Where to cut: `count` days spread over [first, last), and `count` of the days with decisions. */
export interface CutPlan {
  readonly first: number;
  readonly last: number;
  readonly count: number;
}

/**
 * Decisions on the full data against decisions on the data cut after each cut day: a decision at
 * or before the cut may use only data through the cut's close, so none of them may change. The
 * cuts are the plan's evenly spread days (a rule that decides more once the future is gone shows
 * there) and as many days on which the full run decided something (a rule whose decisions need the
 * future shows there).
 */
export async function lookAhead(
  history: MarketHistory,
  decide: DecisionSource,
  { first, last, count }: CutPlan,
): Promise<LookAheadResult> {
  const full = await decide(history);
  const cuts = [
    ...new Set([
      ...cutPoints(first, last, count),
      ...decisionCuts(history, full, first, last, count),
    ]),
  ].sort((a, b) => a - b);
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
    x.reason === y.reason &&
    x.stopPrice === y.stopPrice &&
    x.targetPrice === y.targetPrice &&
    x.riskRejected === y.riskRejected;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined || b[i] === undefined || !same(a[i]!, b[i]!)) return i;
  }
  return -1;
}
