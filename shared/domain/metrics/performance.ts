import type { ClosedTrade } from '../model.js';
import { type TradeStats, tradeStats } from './trade-stats.js';

const TRADING_DAYS_PER_YEAR = 252;
const TRADING_DAYS_PER_MONTH = 21;
const ANNUALISE = Math.sqrt(TRADING_DAYS_PER_YEAR);
// The returns of a steadily compounding curve differ by rounding only; a daily std this small is 0,
// not a Sharpe of 1e15
const NEGLIGIBLE_STD = 1e-12;

/** What a backtest produced, aligned by trading date. */
export interface MetricsInput {
  /** Trading dates of the equity series, ISO YYYY-MM-DD */
  readonly dates: readonly string[];
  /** End-of-day equity per date */
  readonly equity: Float64Array;
  /** Equity before the first day: the first day's return is equity[0] / initialCapital - 1 */
  readonly initialCapital: number;
  /** Per date: market value of positions / equity (0..1+) */
  readonly exposure: Float64Array;
  /** Daily simple returns of the benchmark aligned to dates; NaN days are skipped pairwise */
  readonly benchmarkReturns?: Float64Array;
  /** Closed trades, pnl net of commissions */
  readonly trades: readonly ClosedTrade[];
  /** Annual, as a fraction; default 0 */
  readonly riskFreeRate?: number;
}

/**
 * Performance of a backtest. Every rate is a fraction (0.12 is 12 %) and every undefined value is
 * null, never NaN, so the object can be written to JSON as is.
 */
export interface Metrics extends TradeStats {
  readonly totalReturn: number;
  /** Annualised over trading days / 252, not calendar time; null without days or if it overflows */
  readonly cagr: number | null;
  /** Annualised sample std (n - 1) of daily returns; null with fewer than 2 days */
  readonly volatility: number | null;
  /** Annualised; 0 when the std is 0, null with fewer than 2 days */
  readonly sharpe: number | null;
  /** Annualised, downside deviation over all days; null when no day is below the risk-free rate */
  readonly sortino: number | null;
  /** cagr / maxDrawdown; null without a drawdown */
  readonly calmar: number | null;
  /** Positive fraction below the running peak, which starts at the initial capital */
  readonly maxDrawdown: number;
  /** Trading days from a peak to the day equity is back to it, or to the last day if it never is */
  readonly maxDrawdownDays: number;
  /** Mean of the daily exposure; null without days */
  readonly exposure: number | null;
  /** trades / (trading days / 21); null without days */
  readonly tradesPerMonth: number | null;
  /** Annualised, without the risk-free rate: (mean(r) - beta × mean(b)) × 252 over the paired days */
  readonly alpha: number | null;
  /** cov(r, b) / var(b) over the paired days; null without a benchmark or with a flat one */
  readonly beta: number | null;
  /** Compounded benchmark return over the days it has a value; null without any */
  readonly benchmarkReturn: number | null;
}

/** Computes every metric of a backtest in one pass over its days. */
export function metricsFor(input: MetricsInput): Metrics {
  const { dates, equity, initialCapital, exposure, benchmarkReturns, trades } = input;
  const days = equity.length;
  assertAligned(input);
  const dailyRiskFree = (input.riskFreeRate ?? 0) / TRADING_DAYS_PER_YEAR;

  // Daily returns, by Welford's update: stable where sum-of-squares cancels
  let mean = 0;
  let squares = 0;
  let downsideSquares = 0;
  let previous = initialCapital;

  let peak = initialCapital;
  let peakDay = -1; // The initial capital is the peak of the day before the first
  let inDrawdown = false;
  let maxDrawdown = 0;
  let maxDrawdownDays = 0;

  let exposureSum = 0;

  // Strategy and benchmark returns over the days the benchmark has a value
  let pairs = 0;
  let pairMean = 0;
  let benchmarkMean = 0;
  let coMoment = 0;
  let benchmarkSquares = 0;
  let benchmarkGrowth = 1;

  for (let d = 0; d < days; d++) {
    const value = equity[d]!;
    const dayExposure = exposure[d]!;
    if (!Number.isFinite(value) || !Number.isFinite(dayExposure)) {
      throw new RangeError(
        `equity ${value} or exposure ${dayExposure} on ${dates[d]} is not finite`,
      );
    }

    const r = value / previous - 1;
    previous = value;
    const delta = r - mean;
    mean += delta / (d + 1);
    squares += delta * (r - mean);
    const shortfall = Math.min(r - dailyRiskFree, 0);
    downsideSquares += shortfall * shortfall;

    if (value >= peak) {
      if (inDrawdown) maxDrawdownDays = Math.max(maxDrawdownDays, d - peakDay);
      inDrawdown = false;
      peak = value;
      peakDay = d;
    } else {
      inDrawdown = true;
      maxDrawdown = Math.max(maxDrawdown, 1 - value / peak);
    }

    exposureSum += dayExposure;

    const b = benchmarkReturns?.[d] ?? Number.NaN;
    if (!Number.isNaN(b)) {
      pairs++;
      const deltaR = r - pairMean;
      pairMean += deltaR / pairs;
      const deltaB = b - benchmarkMean;
      benchmarkMean += deltaB / pairs;
      coMoment += deltaR * (b - benchmarkMean);
      benchmarkSquares += deltaB * (b - benchmarkMean);
      benchmarkGrowth *= 1 + b;
    }
  }
  if (inDrawdown) maxDrawdownDays = Math.max(maxDrawdownDays, days - 1 - peakDay);

  const growth = days > 0 ? equity[days - 1]! / initialCapital : 1;
  const cagr = annualisedGrowth(growth, days);

  const std = days >= 2 ? snapToZero(Math.sqrt(squares / (days - 1))) : null;
  const excess = mean - dailyRiskFree;
  const downsideDeviation = snapToZero(Math.sqrt(downsideSquares / Math.max(days, 1)));

  const benchmarkStd = pairs >= 2 ? snapToZero(Math.sqrt(benchmarkSquares / (pairs - 1))) : 0;
  const beta = benchmarkStd > 0 ? coMoment / benchmarkSquares : null;

  return {
    totalReturn: growth - 1,
    cagr,
    volatility: std === null ? null : std * ANNUALISE,
    sharpe: std === null ? null : std === 0 ? 0 : (excess / std) * ANNUALISE,
    sortino: days >= 2 && downsideDeviation > 0 ? (excess / downsideDeviation) * ANNUALISE : null,
    calmar: cagr !== null && maxDrawdown > 0 ? cagr / maxDrawdown : null,
    maxDrawdown,
    maxDrawdownDays,
    ...tradeStats(trades),
    exposure: days > 0 ? exposureSum / days : null,
    tradesPerMonth: days > 0 ? trades.length / (days / TRADING_DAYS_PER_MONTH) : null,
    alpha: beta === null ? null : (pairMean - beta * benchmarkMean) * TRADING_DAYS_PER_YEAR,
    beta,
    benchmarkReturn: pairs > 0 ? benchmarkGrowth - 1 : null,
  };
}

function annualisedGrowth(growth: number, days: number): number | null {
  if (days === 0) return null;
  // A wiped-out account has no real root: its CAGR is a total loss
  if (growth <= 0) return -1;
  const cagr = growth ** (TRADING_DAYS_PER_YEAR / days) - 1;
  // A big gain over a few days overflows a double, and JSON would write Infinity as null anyway
  return Number.isFinite(cagr) ? cagr : null;
}

function snapToZero(std: number): number {
  return std < NEGLIGIBLE_STD ? 0 : std;
}

function assertAligned({
  dates,
  equity,
  initialCapital,
  exposure,
  benchmarkReturns,
}: MetricsInput) {
  if (!(initialCapital > 0) || !Number.isFinite(initialCapital)) {
    throw new RangeError(`initialCapital must be positive and finite, got ${initialCapital}`);
  }
  const lengths = [dates.length, exposure.length, benchmarkReturns?.length ?? equity.length];
  if (lengths.some((length) => length !== equity.length)) {
    throw new RangeError(
      `series are not aligned: ${equity.length} equity, ${dates.length} dates, ` +
        `${exposure.length} exposure, ${benchmarkReturns?.length ?? 'no'} benchmark values`,
    );
  }
}
