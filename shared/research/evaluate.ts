import { type BacktestRun, runBacktest } from '../backtest/engine.js';
import { type BacktestSummary, summarise } from '../backtest/summary.js';
import { STRATEGY_IDS } from '../domain/config.js';
import type { MarketHistory } from '../domain/market/history.js';
import type { Metrics } from '../domain/metrics/index.js';
import { configFor, type Objective, type ResearchSpec } from './spec.js';

/** One backtest to run: a combination's parameters over a period. */
export interface Task {
  /** Unique within a run; results are ordered by it whatever ran them */
  readonly index: number;
  readonly combination: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly from?: string;
  readonly to?: string;
  /** Keep the daily equity (walk-forward's test windows are stitched from it) */
  readonly equity?: boolean;
}

/** The metrics a results row keeps: the summary's, plus each strategy's signals, fills and trades. */
export type TaskMetrics = Omit<Metrics, 'benchmarkReturn'> & {
  readonly finalEquity: number;
  readonly tradesByStrategy: Readonly<Record<string, number>>;
  readonly signalsByStrategy: Readonly<Record<string, number>>;
  readonly filledByStrategy: Readonly<Record<string, number>>;
};

export interface TaskResult {
  readonly index: number;
  readonly combination: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly period: { readonly from: string; readonly to: string };
  readonly metrics: TaskMetrics;
  readonly equity?: { readonly dates: readonly string[]; readonly values: readonly number[] };
}

/** A combination's backtest over a period and its summary, as `npm run backtest` makes them. */
export async function backtestOf(
  history: MarketHistory,
  spec: ResearchSpec,
  task: Pick<Task, 'params' | 'from' | 'to'>,
): Promise<{ run: BacktestRun; summary: BacktestSummary }> {
  const run = await runBacktest(history, configFor(spec, task.params), {
    ...(task.from !== undefined && { from: task.from }),
    ...(task.to !== undefined && { to: task.to }),
  });
  return { run, summary: summarise(history, run) };
}

/** Runs one task through the backtest engine and its summary: the same numbers summary.json has. */
export async function evaluateTask(
  history: MarketHistory,
  spec: ResearchSpec,
  task: Task,
): Promise<TaskResult> {
  const { run, summary } = await backtestOf(history, spec, task);
  const { metrics, perStrategy, signalFlow } = summary;
  const { benchmarkReturn: _, initialCapital: __, ...kept } = metrics;
  const tradesByStrategy: Record<string, number> = {};
  const signalsByStrategy: Record<string, number> = {};
  const filledByStrategy: Record<string, number> = {};
  for (const id of STRATEGY_IDS) {
    const own = perStrategy[id];
    if (own) tradesByStrategy[id] = own.trades;
    const flow = signalFlow[id];
    if (flow) {
      signalsByStrategy[id] = flow.signals;
      filledByStrategy[id] = flow.filled;
    }
  }
  return {
    index: task.index,
    combination: task.combination,
    params: task.params,
    period: run.period,
    metrics: { ...kept, tradesByStrategy, signalsByStrategy, filledByStrategy },
    ...(task.equity && {
      equity: { dates: run.days.map((d) => d.date), values: run.days.map((d) => d.equity) },
    }),
  };
}

/**
 * A result's score under an objective, higher is better. A ratio without a denominator is not
 * missing: no losing trade, no drawdown or no day below the risk-free rate, with a gain, is the
 * best there is (+∞), and with none, nothing happened (0, above any loss). Only a result with
 * nothing to judge (no trade for profitFactor, under two days) ranks last.
 */
export function score(metrics: TaskMetrics, objective: Objective): number {
  const value = objective === 'maxDrawdown' ? -metrics.maxDrawdown : metrics[objective];
  if (value !== null && !Number.isNaN(value)) return value;
  const gained = metrics.totalReturn > 0 ? Number.POSITIVE_INFINITY : 0;
  switch (objective) {
    case 'profitFactor':
      // No losses: wins are all gain; only break-even trades are as much lost as won
      if (metrics.trades === 0) break;
      return metrics.avgWin !== null ? Number.POSITIVE_INFINITY : 1;
    case 'calmar':
      if (metrics.maxDrawdown === 0 && metrics.cagr !== null) return gained;
      break;
    case 'sortino':
      // Defined for two days or more, as the Sharpe ratio is
      if (metrics.sharpe !== null) return gained;
      break;
  }
  return Number.NEGATIVE_INFINITY;
}

/** Results best first under the objective; ties go to the earlier combination, so ranks are stable. */
export function rank<T extends Pick<TaskResult, 'index' | 'metrics'>>(
  results: readonly T[],
  objective: Objective,
): T[] {
  return [...results].sort(
    (a, b) => score(b.metrics, objective) - score(a.metrics, objective) || a.index - b.index,
  );
}
