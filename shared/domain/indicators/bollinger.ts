import * as z from 'zod';
import { bankSchema, decodeState, JsonNumbersSchema, jsonNumbers } from '../state-codec.js';
import { assertRow, assertSeries, type IndicatorBank } from './bank.js';
import { assertCount, assertFinite, assertPeriod } from './guards.js';
import {
  MovingMoments,
  MovingMomentsShape,
  realignInterval,
  squaredDeviations,
  windowSum,
} from './moving-moments.js';

/** Bollinger bands: the SMA and the SMA ± stdDevs population standard deviations. */
export interface BollingerBands {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/** Bollinger bands: SMA ± stdDevs population std devs; NaN for the first period - 1 bars. */
export function bollinger(close: Float64Array, period = 20, stdDevs = 2): BollingerBands {
  assertPeriod(period, 'period');
  assertFinite(stdDevs, 'stdDevs');
  const length = close.length;
  const upper = new Float64Array(length);
  const middle = new Float64Array(length);
  const lower = new Float64Array(length);
  const last = period - 1;
  const undefinedBars = Math.min(last, length);
  upper.fill(Number.NaN, 0, undefinedBars);
  middle.fill(Number.NaN, 0, undefinedBars);
  lower.fill(Number.NaN, 0, undefinedBars);
  if (length < period) return { upper, middle, lower };

  // Same arithmetic, in the same order, as MovingMoments (see there for why): the width is exactly
  // stdDevs × rollingStd, and the middle band is sma to within rounding
  let shift = close[0]!;
  let sum = 0;
  let run = 0;
  for (let t = 0; t < period; t++) {
    const x = close[t]!;
    run = t > 0 && x === close[t - 1] ? run + 1 : 0;
    sum += x - shift;
  }
  const scale = 1 / (period * period);
  let mean = sum / period;
  // period × the squared deviations
  let scaled = run >= last ? 0 : period * squaredDeviations(close, 0, 1, period, shift, mean);
  let center = shift + mean;
  let width = stdDevs * Math.sqrt(scaled * scale);
  middle[last] = center;
  upper[last] = center + width;
  lower[last] = center - width;

  const interval = realignInterval(period);
  // Bars until the window's newest index + 1 is a multiple of the interval, as in MovingMoments
  let untilAligned = interval - (period % interval);
  for (let t = period; t < length; t++) {
    const x = close[t]!;
    run = x === close[t - 1] ? run + 1 : 0;
    const y = x - shift;
    const yOld = close[t - period]! - shift;
    const change = y - yOld;
    const next = sum + change;
    scaled += change * (period * (y + yOld) - next - sum);
    sum = next;
    if (--untilAligned === 0) {
      untilAligned = interval;
      shift = close[t - last]!;
      sum = windowSum(close, t - last, 1, period, shift);
      scaled = period * squaredDeviations(close, t - last, 1, period, shift, sum / period);
    }
    if (run >= last || scaled < 0) scaled = 0;
    mean = sum / period;
    center = shift + mean;
    width = stdDevs * Math.sqrt(scaled * scale);
    middle[t] = center;
    upper[t] = center + width;
    lower[t] = center - width;
  }
  return { upper, middle, lower };
}

const BollingerBankShape = {
  ...MovingMomentsShape,
  stdDevs: z.number(),
  upper: JsonNumbersSchema,
  middle: JsonNumbersSchema,
  lower: JsonNumbersSchema,
};
/** Saved state of a BollingerBank. */
export type BollingerBankState = z.input<z.ZodObject<typeof BollingerBankShape>>;

/** Bollinger bands of n series, one bar at a time; the same numbers as `bollinger`. */
export class BollingerBank implements IndicatorBank<BollingerBankState> {
  readonly n: number;
  readonly period: number;
  readonly stdDevs: number;
  /** Current upper band per series; NaN until the series has `period` bars */
  readonly upper: Float64Array;
  /** Current middle band (the SMA) per series; NaN until the series has `period` bars */
  readonly middle: Float64Array;
  /** Current lower band per series; NaN until the series has `period` bars */
  readonly lower: Float64Array;
  #moments: MovingMoments;

  constructor(n: number, period = 20, stdDevs = 2) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    assertFinite(stdDevs, 'stdDevs');
    this.n = n;
    this.period = period;
    this.stdDevs = stdDevs;
    this.upper = new Float64Array(n).fill(Number.NaN);
    this.middle = new Float64Array(n).fill(Number.NaN);
    this.lower = new Float64Array(n).fill(Number.NaN);
    this.#moments = new MovingMoments(n, period);
  }

  /** Adds one bar: the close of each series. */
  update(close: ArrayLike<number>): void {
    assertRow('BollingerBank', 'close', close, this.n);
    this.updateValidated(close);
  }

  /**
   * `update` for a row already checked the way `update` checks it (finite values): MarketState
   * validates each day's bars once for all its banks rather than once per bank.
   */
  updateValidated(close: ArrayLike<number>): void {
    const { n, stdDevs } = this;
    assertRow('BollingerBank', 'close', close, n, false);
    const moments = this.#moments;
    moments.push(close);
    if (!moments.ready) return;
    const { shift, mean, scaledSquares, scale } = moments;
    for (let i = 0; i < n; i++) {
      const average = shift[i]! + mean[i]!;
      const width = stdDevs * Math.sqrt(scaledSquares[i]! * scale);
      this.middle[i] = average;
      this.upper[i] = average + width;
      this.lower[i] = average - width;
    }
  }

  /** Whether series i has `period` bars. */
  isReady(i: number): boolean {
    assertSeries('BollingerBank', i, this.n);
    return this.#moments.ready;
  }

  #floats() {
    return { upper: this.upper, middle: this.middle, lower: this.lower };
  }

  /** Plain JSON state; see `BollingerBank.fromJSON`. */
  toJSON(): BollingerBankState {
    return { ...this.#moments.toJSON(), stdDevs: this.stdDevs, ...jsonNumbers(this.#floats()) };
  }

  /** Reads a saved state into a BollingerBank. */
  static readonly schema: z.ZodType<BollingerBank, BollingerBankState> = bankSchema(
    BollingerBankShape,
    (s) => {
      const bank = new BollingerBank(s.n, s.period, s.stdDevs);
      const [moments, floats] = MovingMoments.restore(s);
      bank.#moments = moments;
      return [bank, { ...floats, ...bank.#floats() }];
    },
  );

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): BollingerBank {
    return decodeState(BollingerBank.schema, state, 'BollingerBank');
  }
}
