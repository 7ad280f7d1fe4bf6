import {
  assertRow,
  assertSeries,
  type IndicatorBank,
  type JsonNumber,
  StateReader,
  toJsonNumbers,
} from './bank.js';
import { assertCount, assertPeriod } from './guards.js';

/** EMA as TA-Lib: seeded by the SMA of the first period values, then k = 2 / (period + 1). */
export function ema(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const length = values.length;
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period - 1, length));
  if (length < period) return out;

  const k = 2 / (period + 1);
  let sum = 0;
  for (let t = 0; t < period; t++) sum += values[t]!;
  let average = sum / period;
  out[period - 1] = average;
  for (let t = period; t < length; t++) {
    average = (values[t]! - average) * k + average;
    out[t] = average;
  }
  return out;
}

/** Saved state of an EmaBank. */
export interface EmaBankState {
  n: number;
  period: number;
  bars: number;
  // The running sum while seeding, then the average itself
  average: JsonNumber[];
  values: JsonNumber[];
}

/** Exponential moving averages of n series, one bar at a time; the same numbers as `ema`. */
export class EmaBank implements IndicatorBank<EmaBankState> {
  readonly n: number;
  readonly period: number;
  /** Current average per series; NaN until the series has `period` bars */
  readonly values: Float64Array;
  #bars = 0;
  readonly #average: Float64Array;

  constructor(n: number, period: number) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.values = new Float64Array(n).fill(Number.NaN);
    this.#average = new Float64Array(n);
  }

  /** Adds one bar: one value per series. */
  update(values: ArrayLike<number>): void {
    const { n, period } = this;
    assertRow('EmaBank', 'values', values, n);
    const average = this.#average;
    const out = this.values;
    const bars = this.#bars;
    if (bars < period) {
      for (let i = 0; i < n; i++) average[i]! += values[i]!;
      if (bars === period - 1) {
        for (let i = 0; i < n; i++) {
          average[i] = average[i]! / period;
          out[i] = average[i]!;
        }
      }
    } else {
      const k = 2 / (period + 1);
      for (let i = 0; i < n; i++) {
        const next = (values[i]! - average[i]!) * k + average[i]!;
        average[i] = next;
        out[i] = next;
      }
    }
    this.#bars = bars + 1;
  }

  /** Whether series i has `period` bars. */
  isReady(i: number): boolean {
    assertSeries('EmaBank', i, this.n);
    return this.#bars >= this.period;
  }

  /** Plain JSON state; see `EmaBank.fromJSON`. */
  toJSON(): EmaBankState {
    return {
      n: this.n,
      period: this.period,
      bars: this.#bars,
      average: toJsonNumbers(this.#average),
      values: toJsonNumbers(this.values),
    };
  }

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: EmaBankState): EmaBank {
    const reader = new StateReader('EmaBank', state);
    const n = reader.integer('n', 0);
    const bank = new EmaBank(n, reader.integer('period', 1));
    bank.#bars = reader.integer('bars', 0);
    bank.#average.set(reader.numbers('average', n));
    bank.values.set(reader.numbers('values', n));
    return bank;
  }
}
