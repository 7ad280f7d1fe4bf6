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

/** Simple moving average; NaN for the first period - 1 bars. */
export function sma(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const length = values.length;
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period - 1, length));
  if (length < period) return out;

  let sum = 0;
  for (let t = 0; t < period; t++) sum += values[t]!;
  out[period - 1] = sum / period;
  // Divide rather than multiply by 1/period, whose rounding would make 6 / 3 inexact. The sums
  // are the same, in the same order, as SmaBank's
  for (let t = period; t < length; t++) {
    sum += values[t]! - values[t - period]!;
    out[t] = sum / period;
  }
  return out;
}

const SmaBankShape = {
  n: CountSchema,
  period: PeriodSchema,
  bars: CountSchema,
  sum: JsonNumbersSchema,
  window: JsonNumbersSchema,
  values: JsonNumbersSchema,
};
/** Saved state of an SmaBank. */
export type SmaBankState = z.input<z.ZodObject<typeof SmaBankShape>>;

/** Simple moving averages of n series, one bar at a time; the same numbers as `sma`. */
export class SmaBank implements IndicatorBank<SmaBankState> {
  readonly n: number;
  readonly period: number;
  /** Current average per series; NaN until the series has `period` bars */
  readonly values: Float64Array;
  #bars = 0;
  readonly #sum: Float64Array;
  // Slot-major ([slot * n + i]) so that one bar writes one contiguous slot
  readonly #window: Float64Array;

  constructor(n: number, period: number) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.values = new Float64Array(n).fill(Number.NaN);
    this.#sum = new Float64Array(n);
    this.#window = new Float64Array(n * period);
  }

  /** Adds one bar: one value per series. */
  update(values: ArrayLike<number>): void {
    assertRow('SmaBank', 'values', values, this.n);
    this.updateValidated(values);
  }

  /**
   * `update` for a row already checked the way `update` checks it (finite values): MarketState
   * validates each day's bars once for all its banks rather than once per bank.
   */
  updateValidated(values: ArrayLike<number>): void {
    const { n, period } = this;
    assertRow('SmaBank', 'values', values, n, false);
    const sum = this.#sum;
    const window = this.#window;
    const out = this.values;
    const bars = this.#bars;
    const slot = (bars % period) * n;
    if (bars < period) {
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        window[slot + i] = x;
        sum[i]! += x;
      }
      if (bars === period - 1) for (let i = 0; i < n; i++) out[i] = sum[i]! / period;
    } else {
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        sum[i]! += x - window[slot + i]!;
        window[slot + i] = x;
        out[i] = sum[i]! / period;
      }
    }
    this.#bars = bars + 1;
  }

  /** Whether series i has `period` bars. */
  isReady(i: number): boolean {
    assertSeries('SmaBank', i, this.n);
    return this.#bars >= this.period;
  }

  #floats() {
    return { sum: this.#sum, window: this.#window, values: this.values };
  }

  /** Plain JSON state; see `SmaBank.fromJSON`. */
  toJSON(): SmaBankState {
    return { n: this.n, period: this.period, bars: this.#bars, ...jsonNumbers(this.#floats()) };
  }

  /** Reads a saved state into an SmaBank. */
  static readonly schema: z.ZodType<SmaBank, SmaBankState> = bankSchema(SmaBankShape, (s) => {
    const bank = new SmaBank(s.n, s.period);
    bank.#bars = s.bars;
    return [bank, bank.#floats()];
  });

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): SmaBank {
    return decodeState(SmaBank.schema, state, 'SmaBank');
  }
}
