import type * as z from 'zod';
import {
  bankSchema,
  CountSchema,
  decodeState,
  JsonNumbersSchema,
  jsonNumbers,
  PeriodSchema,
} from '../state-codec.js';
import { assertRow, assertSeries, type IndicatorBank } from './bank.js';
import { assertCount, assertPeriod } from './guards.js';

/** RSI as TA-Lib: Wilder, seeded by changes 1..period; 100 if nothing fell, 50 if nothing moved. */
export function rsi(close: Float64Array, period = 14): Float64Array {
  assertPeriod(period, 'period');
  const length = close.length;
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period, length));
  if (length <= period) return out;

  let gain = 0;
  let loss = 0;
  for (let t = 1; t <= period; t++) {
    const change = close[t]! - close[t - 1]!;
    const size = Math.abs(change);
    // (|d| + d) / 2 and (|d| - d) / 2 are exact and avoid a branch that random data mispredicts
    gain += (size + change) * 0.5;
    loss += (size - change) * 0.5;
  }
  gain /= period;
  loss /= period;
  // 100 * (gain / total), as TA-Lib, so that a series without losses gives exactly 100
  let total = gain + loss;
  out[period] = total > 0 ? 100 * (gain / total) : 50;

  const keep = period - 1;
  for (let t = period + 1; t < length; t++) {
    const change = close[t]! - close[t - 1]!;
    const size = Math.abs(change);
    gain = (gain * keep + (size + change) * 0.5) / period;
    loss = (loss * keep + (size - change) * 0.5) / period;
    total = gain + loss;
    out[t] = total > 0 ? 100 * (gain / total) : 50;
  }
  return out;
}

const RsiBankShape = {
  n: CountSchema,
  period: PeriodSchema,
  bars: CountSchema,
  previous: JsonNumbersSchema,
  // Sums of gains and losses while seeding, then Wilder averages
  gain: JsonNumbersSchema,
  loss: JsonNumbersSchema,
  values: JsonNumbersSchema,
};
/** Saved state of an RsiBank. */
export type RsiBankState = z.input<z.ZodObject<typeof RsiBankShape>>;

/** RSI of n series, one bar at a time; the same numbers as `rsi`. */
export class RsiBank implements IndicatorBank<RsiBankState> {
  readonly n: number;
  readonly period: number;
  /** Current RSI per series; NaN until the series has period + 1 bars */
  readonly values: Float64Array;
  #bars = 0;
  readonly #previous: Float64Array;
  readonly #gain: Float64Array;
  readonly #loss: Float64Array;

  constructor(n: number, period = 14) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.values = new Float64Array(n).fill(Number.NaN);
    this.#previous = new Float64Array(n);
    this.#gain = new Float64Array(n);
    this.#loss = new Float64Array(n);
  }

  /** Adds one bar: the close of each series. */
  update(close: ArrayLike<number>): void {
    assertRow('RsiBank', 'close', close, this.n);
    this.updateValidated(close);
  }

  /**
   * `update` for a row already checked the way `update` checks it (finite values): MarketState
   * validates each day's bars once for all its banks rather than once per bank.
   */
  updateValidated(close: ArrayLike<number>): void {
    const { n, period } = this;
    assertRow('RsiBank', 'close', close, n, false);
    const previous = this.#previous;
    const gain = this.#gain;
    const loss = this.#loss;
    const out = this.values;
    const bars = this.#bars;
    if (bars === 0) {
      for (let i = 0; i < n; i++) previous[i] = close[i]!;
    } else if (bars <= period) {
      for (let i = 0; i < n; i++) {
        const x = close[i]!;
        const change = x - previous[i]!;
        const size = Math.abs(change);
        gain[i]! += (size + change) * 0.5;
        loss[i]! += (size - change) * 0.5;
        previous[i] = x;
      }
      if (bars === period) {
        for (let i = 0; i < n; i++) {
          const g = gain[i]! / period;
          const l = loss[i]! / period;
          gain[i] = g;
          loss[i] = l;
          const total = g + l;
          out[i] = total > 0 ? 100 * (g / total) : 50;
        }
      }
    } else {
      const keep = period - 1;
      for (let i = 0; i < n; i++) {
        const x = close[i]!;
        const change = x - previous[i]!;
        const size = Math.abs(change);
        const g = (gain[i]! * keep + (size + change) * 0.5) / period;
        const l = (loss[i]! * keep + (size - change) * 0.5) / period;
        gain[i] = g;
        loss[i] = l;
        previous[i] = x;
        const total = g + l;
        out[i] = total > 0 ? 100 * (g / total) : 50;
      }
    }
    this.#bars = bars + 1;
  }

  /** Whether series i has period + 1 bars. */
  isReady(i: number): boolean {
    assertSeries('RsiBank', i, this.n);
    return this.#bars > this.period;
  }

  #floats() {
    return { previous: this.#previous, gain: this.#gain, loss: this.#loss, values: this.values };
  }

  /** Plain JSON state; see `RsiBank.fromJSON`. */
  toJSON(): RsiBankState {
    return { n: this.n, period: this.period, bars: this.#bars, ...jsonNumbers(this.#floats()) };
  }

  /** Reads a saved state into an RsiBank. */
  static readonly schema: z.ZodType<RsiBank, RsiBankState> = bankSchema(RsiBankShape, (s) => {
    const bank = new RsiBank(s.n, s.period);
    bank.#bars = s.bars;
    return [bank, bank.#floats()];
  });

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): RsiBank {
    return decodeState(RsiBank.schema, state, 'RsiBank');
  }
}
