import {
  DAY_FEATURE_ARRAYS,
  type DayFeatures,
} from '../../../../shared/domain/features/day-features.js';
import type { DayBars } from '../../../../shared/domain/market/history.js';
import { weekdays } from '../../../fixtures/calendar.js';
import { mulberry32 } from '../../../support/random.js';

/** One symbol's daily path; high, low and open default to a 1% range around the close. */
export interface SymbolPath {
  readonly close: ArrayLike<number>;
  readonly volume?: ArrayLike<number>;
  readonly open?: ArrayLike<number>;
  readonly high?: ArrayLike<number>;
  readonly low?: ArrayLike<number>;
}

/** The days of a tiny universe as DayBars, one fresh object per day (what the market data hands over). */
export function daysOf(
  symbols: readonly string[],
  paths: readonly SymbolPath[],
  dates: readonly string[] = weekdays('2021-01-04', paths[0]?.close.length ?? 0),
): DayBars[] {
  const field = (pick: (path: SymbolPath, d: number) => number, d: number) =>
    Float64Array.from(paths, (path) => pick(path, d));
  return dates.map((date, d) => ({
    date,
    symbols,
    open: field((p, t) => p.open?.[t] ?? p.close[t]!, d),
    high: field((p, t) => p.high?.[t] ?? p.close[t]! * 1.01, d),
    low: field((p, t) => p.low?.[t] ?? p.close[t]! * 0.99, d),
    close: field((p, t) => p.close[t]!, d),
    volume: field((p, t) => p.volume?.[t] ?? 1_000_000, d),
    vix: 18,
  }));
}

/** A multiplicative random walk with a random intraday range and volume, for `days` sessions. */
export function randomPath(days: number, seed: number): SymbolPath {
  const random = mulberry32(seed);
  const open = new Float64Array(days);
  const high = new Float64Array(days);
  const low = new Float64Array(days);
  const close = new Float64Array(days);
  const volume = new Float64Array(days);
  let price = 50 + 100 * random();
  for (let t = 0; t < days; t++) {
    const previous = price;
    price *= 1 + (random() - 0.5) * 0.05;
    open[t] = previous * (1 + (random() - 0.5) * 0.01);
    close[t] = price;
    high[t] = Math.max(open[t]!, price) * (1 + random() * 0.01);
    low[t] = Math.min(open[t]!, price) * (1 - random() * 0.01);
    volume[t] = Math.round(2e5 + 2e6 * random());
  }
  return { open, high, low, close, volume };
}

/** Random-walk days of a universe, each symbol with its own seed. */
export function randomDays(symbols: readonly string[], days: number, seed: number): DayBars[] {
  return daysOf(
    symbols,
    symbols.map((_, s) => randomPath(days, seed * 1000 + s)),
  );
}

/** The per-symbol arrays of DayFeatures, by name. */
export type FeatureName = (typeof DAY_FEATURE_ARRAYS)[number];
export const FEATURE_NAMES: readonly FeatureName[] = DAY_FEATURE_ARRAYS;

/**
 * A copy of the features as plain data (the arrays are views that the next update overwrites).
 * toEqual compares numbers with Object.is: NaN equals NaN, -0 is not 0, and nothing is rounded.
 */
export function snapshot(features: DayFeatures): Record<string, unknown> {
  return {
    date: features.date,
    session: features.session,
    symbols: [...features.symbols],
    ...Object.fromEntries(FEATURE_NAMES.map((name) => [name, Array.from(features[name])])),
  };
}

/** Pearson correlation, written the textbook way. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
