import type * as z from 'zod';
import { bankSchema, decodeState, JsonNumbersSchema, toJsonNumbers } from '../state-codec.js';
import { assertRow, assertSeries, type IndicatorBank } from './bank.js';
import { assertCount, assertPeriod } from './guards.js';
import {
  MovingMoments,
  MovingMomentsShape,
  realignInterval,
  squaredDeviations,
  windowSum,
} from './moving-moments.js';

/** Rolling population standard deviation (TA-Lib STDDEV); NaN for the first period - 1 bars. */
export function rollingStd(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const length = values.length;
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period - 1, length));
  if (length < period) return out;

  // Same arithmetic, in the same order, as MovingMoments (see there for why), so the banks match
  // bit for bit
  const last = period - 1;
  const scale = 1 / (period * period);
  let shift = values[0]!;
  let sum = 0;
  let run = 0;
  let previous = shift;
  for (let t = 0; t < period; t++) {
    const x = values[t]!;
    run = t > 0 && x === previous ? run + 1 : 0;
    previous = x;
    sum += x - shift;
  }
  // period × the squared deviations
  let scaled =
    run >= last ? 0 : period * squaredDeviations(values, 0, 1, period, shift, sum / period);
  out[last] = Math.sqrt(scaled * scale);

  const interval = realignInterval(period);
  let t = period;
  while (t < length) {
    // Slide up to the next bar whose index + 1 is a multiple of the interval (MovingMoments
    // re-derives there); without a test for it in the loop, and with the previous value in hand,
    // this runs about 15% faster
    const end = Math.min((Math.floor(t / interval) + 1) * interval - 1, length);
    for (; t < end; t++) {
      const x = values[t]!;
      run = x === previous ? run + 1 : 0;
      previous = x;
      const y = x - shift;
      const yOld = values[t - period]! - shift;
      const change = y - yOld;
      const next = sum + change;
      scaled += change * (period * (y + yOld) - next - sum);
      sum = next;
      if (run >= last || scaled < 0) scaled = 0;
      out[t] = Math.sqrt(scaled * scale);
    }
    if (t === length) break;
    const x = values[t]!;
    run = x === previous ? run + 1 : 0;
    previous = x;
    shift = values[t - last]!;
    sum = windowSum(values, t - last, 1, period, shift);
    scaled = period * squaredDeviations(values, t - last, 1, period, shift, sum / period);
    if (run >= last || scaled < 0) scaled = 0;
    out[t] = Math.sqrt(scaled * scale);
    t++;
  }
  return out;
}

const RollingStdBankShape = { ...MovingMomentsShape, values: JsonNumbersSchema };
/** Saved state of a RollingStdBank. */
export type RollingStdBankState = z.input<z.ZodObject<typeof RollingStdBankShape>>;

/** Rolling population std of n series, one bar at a time; the same numbers as `rollingStd`. */
export class RollingStdBank implements IndicatorBank<RollingStdBankState> {
  readonly n: number;
  readonly period: number;
  /** Current standard deviation per series; NaN until the series has `period` bars */
  readonly values: Float64Array;
  #moments: MovingMoments;

  constructor(n: number, period: number) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.values = new Float64Array(n).fill(Number.NaN);
    this.#moments = new MovingMoments(n, period);
  }

  /** Adds one bar: one value per series. */
  update(values: ArrayLike<number>): void {
    const n = this.n;
    assertRow('RollingStdBank', 'values', values, n);
    const moments = this.#moments;
    moments.push(values);
    if (!moments.ready) return;
    const { scaledSquares, scale } = moments;
    const out = this.values;
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(scaledSquares[i]! * scale);
  }

  /** Whether series i has `period` bars. */
  isReady(i: number): boolean {
    assertSeries('RollingStdBank', i, this.n);
    return this.#moments.ready;
  }

  /** Plain JSON state; see `RollingStdBank.fromJSON`. */
  toJSON(): RollingStdBankState {
    return { ...this.#moments.toJSON(), values: toJsonNumbers(this.values) };
  }

  /** Reads a saved state into a RollingStdBank. */
  static readonly schema: z.ZodType<RollingStdBank, RollingStdBankState> = bankSchema(
    RollingStdBankShape,
    (s) => {
      const bank = new RollingStdBank(s.n, s.period);
      const [moments, floats] = MovingMoments.restore(s);
      bank.#moments = moments;
      return [bank, { ...floats, values: bank.values }];
    },
  );

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): RollingStdBank {
    return decodeState(RollingStdBank.schema, state, 'RollingStdBank');
  }
}
