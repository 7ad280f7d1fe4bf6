import type { BacktestRun } from '../backtest/engine.js';
import type { BacktestSummary } from '../backtest/summary.js';
import { STRATEGY_IDS } from '../domain/config.js';
import type { MarketHistory } from '../domain/market/history.js';
import { equalWeightReturns } from '../domain/metrics/series.js';
import type { StrategyId } from '../domain/model.js';
import type {
  ContributionChartData,
  EquityChartData,
  ExposureChartData,
  TradeReturnsData,
} from './charts/index.js';

/** Everything the tearsheet's charts are drawn from, derived from a backtest's result. */
export interface BacktestChartData {
  readonly equity: EquityChartData;
  readonly contribution: ContributionChartData;
  readonly exposure: ExposureChartData;
  readonly tradeReturns: TradeReturnsData;
}

/**
 * The benchmark as an equity curve grown from the initial capital over the run's days, on the same
 * basis as summary.json's benchmark: the chosen index's close, or the equal-weight universe; NaN on
 * a day it has no value, and null without a benchmark.
 */
export function benchmarkEquity(
  history: MarketHistory,
  run: BacktestRun,
): { name: string; equity: Float64Array } | null {
  const days = run.days.length;
  const from = run.firstDay;
  const capital = run.config.initialCapital;
  const equity = new Float64Array(days).fill(Number.NaN);
  if (run.config.metrics.benchmark === 'equal-weight') {
    const returns = equalWeightReturns(
      history.close,
      history.symbols.length,
      history.dates.length,
    ).subarray(from, from + days);
    let level = capital;
    for (let i = 0; i < days; i++) {
      const r = returns[i]!;
      if (!Number.isFinite(r)) continue; // No symbol has a return that day: a gap
      level *= 1 + r;
      equity[i] = level;
    }
    return { name: 'Equal-weight universe', equity };
  }
  const series = history.benchmark;
  if (!series) return null;
  // Day 0's return is measured from the close before it, as the equity's is from the capital
  let anchor = from > 0 ? series.close[from - 1]! : Number.NaN;
  for (let i = 0; i < days; i++) {
    const close = series.close[from + i]!;
    if (!Number.isFinite(close) || !(close > 0)) continue;
    if (!Number.isFinite(anchor) || !(anchor > 0)) anchor = close;
    equity[i] = (capital * close) / anchor;
  }
  return { name: series.name, equity };
}

/** Per strategy, per day: cumulative realised P&L of its closed trades plus its open lots' unrealised. */
function contributions(run: BacktestRun, summary: BacktestSummary): ContributionChartData {
  const { days, trades } = run;
  const ids = STRATEGY_IDS.filter((id) => summary.perStrategy[id] !== undefined);
  const strategies = ids.map((id: StrategyId) => {
    const byExit = trades
      .filter((t) => t.strategy === id)
      .sort((a, b) => (a.exitDate < b.exitDate ? -1 : a.exitDate > b.exitDate ? 1 : 0));
    const pnl = new Float64Array(days.length);
    let realised = 0;
    let t = 0;
    for (let i = 0; i < days.length; i++) {
      const day = days[i]!;
      while (t < byExit.length && byExit[t]!.exitDate <= day.date) realised += byExit[t++]!.pnl;
      pnl[i] = realised + (day.perStrategy[id]?.unrealisedPnl ?? 0);
    }
    return { id, pnl, trades: byExit.length };
  });
  const capital = run.config.initialCapital;
  return {
    dates: days.map((d) => d.date),
    strategies,
    total: Float64Array.from(days, (d) => d.equity - capital),
  };
}

/** The chart data of a backtest, from its result, its summary and the history it ran on. */
export function backtestChartData(
  history: MarketHistory,
  run: BacktestRun,
  summary: BacktestSummary,
): BacktestChartData {
  const { days, config } = run;
  const dates = days.map((d) => d.date);
  return {
    equity: {
      dates,
      equity: Float64Array.from(days, (d) => d.equity),
      initialCapital: config.initialCapital,
      benchmark: benchmarkEquity(history, run),
    },
    contribution: contributions(run, summary),
    exposure: {
      dates,
      exposure: Float64Array.from(days, (d) => d.exposure),
      heat: Float64Array.from(days, (d) => d.heat),
      regime: days.map((d) => d.regime),
      tradingState: days.map((d) => d.tradingState),
      maxHeat: config.regime.maxHeat,
    },
    tradeReturns: {
      returns: run.trades.map((t) => t.pnl / Math.abs(t.qty * t.entryPrice)),
    },
  };
}
