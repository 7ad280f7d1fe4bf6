import type { BacktestRun } from '../backtest/engine.js';
import type { BacktestSummary } from '../backtest/summary.js';
import type { MarketHistory } from '../domain/market/history.js';
import { drawdownSeries } from '../domain/metrics/index.js';

/** The volatile periods the spec names: 2018's Q4 correction, the COVID crash, the 2022 bear market. */
export const STRESS_PERIODS = [
  { name: '2018-q4-correction', from: '2018-10-01', to: '2018-12-31' },
  { name: '2020-covid-crash', from: '2020-02-19', to: '2020-04-30' },
  { name: '2022-bear-market', from: '2022-01-03', to: '2022-12-30' },
] as const;

/** How the regime, the heat caps and the breakers behaved over one period. */
export interface StressResult {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly daysByState: Readonly<Record<'ACTIVE' | 'REDUCING' | 'HALTED', number>>;
  readonly daysByRegime: Readonly<Record<'low' | 'normal' | 'high', number>>;
  readonly peakHeat: number;
  /** The day's heat over the regime's cap, at its highest: above 1 only as prices move */
  readonly peakHeatOfCap: number;
  readonly totalReturn: number;
  readonly maxDrawdown: number;
  /** The universe bought in equal weights at the close before the period and held */
  readonly buyAndHoldReturn: number;
  readonly buyAndHoldMaxDrawdown: number;
  readonly trades: number;
}

/** Summarises a backtest of a stress period against equal-weight buy-and-hold of its universe. */
export function stressResult(
  name: string,
  history: MarketHistory,
  run: BacktestRun,
  summary: BacktestSummary,
): StressResult {
  const daysByState = { ACTIVE: 0, REDUCING: 0, HALTED: 0 };
  const daysByRegime = { low: 0, normal: 0, high: 0 };
  let peakHeat = 0;
  let peakHeatOfCap = 0;
  for (const day of run.days) {
    daysByState[day.tradingState]++;
    daysByRegime[day.regime]++;
    peakHeat = Math.max(peakHeat, day.heat);
    peakHeatOfCap = Math.max(peakHeatOfCap, day.heat / run.config.regime.maxHeat[day.regime]);
  }
  const hold = buyAndHold(history, run.firstDay, run.days.length);
  return {
    name,
    ...run.period,
    days: run.days.length,
    daysByState,
    daysByRegime,
    peakHeat,
    peakHeatOfCap,
    totalReturn: summary.metrics.totalReturn,
    maxDrawdown: summary.metrics.maxDrawdown,
    buyAndHoldReturn: (hold[hold.length - 1] ?? 1) - 1,
    buyAndHoldMaxDrawdown: Math.max(0, ...drawdownSeries(hold, 1)),
    trades: run.trades.length,
  };
}

/** Value of 1 spread equally over the symbols at the close before day `first`, for `days` days. */
function buyAndHold(history: MarketHistory, first: number, days: number): Float64Array {
  const n = history.symbols.length;
  const base = Math.max(first - 1, 0);
  const values = new Float64Array(days);
  for (let i = 0; i < days; i++) {
    const d = first + i;
    let sum = 0;
    for (let s = 0; s < n; s++) sum += history.close[d * n + s]! / history.close[base * n + s]!;
    values[i] = sum / n;
  }
  return values;
}
