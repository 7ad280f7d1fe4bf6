import type * as z from 'zod';
import { dot } from '../numeric/dot.js';
import {
  bankSchema,
  CountSchema,
  decodeState,
  JsonNumbersSchema,
  PeriodSchema,
  toJsonNumbers,
} from '../state-codec.js';
import { assertRow, assertSeries, type IndicatorBank } from './bank.js';
import { assertCount, assertPeriod } from './guards.js';
import { pearson } from './pearson.js';
import { ReturnsBank } from './returns.js';

const ReturnWindowBankShape = {
  n: CountSchema,
  period: PeriodSchema,
  bars: CountSchema,
  returns: ReturnsBank.schema,
  window: JsonNumbersSchema,
};
/** Saved state of a ReturnWindowBank. */
export type ReturnWindowBankState = z.input<z.ZodObject<typeof ReturnWindowBankShape>>;

/** The last `period` simple returns of n series, so that any two can be correlated on the day. */
export class ReturnWindowBank implements IndicatorBank<ReturnWindowBankState> {
  readonly n: number;
  readonly period: number;
  #bars = 0;
  #returns: ReturnsBank;
  // Ring of returns, slot-major ([slot * n + i]); return k (from 0) lives in slot k % period
  readonly #window: Float64Array;
  // Per series, filled on the first correlationOf after an update and reused for every pair of
  // that bar: the bar count it was filled at, the window's centred sum of squares, and the
  // deviations from the mean, oldest first, series-major ([i * period + k])
  readonly #preparedAt: Float64Array;
  readonly #squares: Float64Array;
  readonly #deviations: Float64Array;

  constructor(n: number, period: number) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.#returns = new ReturnsBank(n);
    this.#window = new Float64Array(n * period);
    this.#preparedAt = new Float64Array(n).fill(-1);
    this.#squares = new Float64Array(n);
    this.#deviations = new Float64Array(n * period);
  }

  /** Adds one bar: the close of each series. */
  update(close: ArrayLike<number>): void {
    assertRow('ReturnWindowBank', 'close', close, this.n);
    this.updateValidated(close);
  }

  /**
   * `update` for a row already checked the way `update` checks it (finite values): MarketState
   * validates each day's bars once for all its banks rather than once per bank.
   */
  updateValidated(close: ArrayLike<number>): void {
    const n = this.n;
    assertRow('ReturnWindowBank', 'close', close, n, false);
    const returns = this.#returns;
    returns.updateValidated(close);
    if (this.#bars > 0) {
      const slot = ((this.#bars - 1) % this.period) * n;
      this.#window.set(returns.values, slot);
    }
    this.#bars++;
  }

  /** Whether series i has `period` returns (period + 1 closes). */
  isReady(i: number): boolean {
    assertSeries('ReturnWindowBank', i, this.n);
    return this.#bars > this.period;
  }

  /** Copies series i's last `period` returns, oldest first, into out; false until full. */
  window(i: number, out: Float64Array): boolean {
    const { n, period } = this;
    assertSeries('ReturnWindowBank', i, n);
    if (out.length !== period) {
      throw new RangeError(`out has length ${out.length}, expected the period ${period}`);
    }
    if (this.#bars <= period) return false;
    const window = this.#window;
    // The slot the next return overwrites holds the oldest one
    const oldest = (this.#bars - 1) % period;
    let k = 0;
    for (let slot = oldest; slot < period; slot++) out[k++] = window[slot * n + i]!;
    for (let slot = 0; slot < oldest; slot++) out[k++] = window[slot * n + i]!;
    return true;
  }

  /** Pearson correlation of the return windows of series i and j; NaN until full or if flat. */
  correlationOf(i: number, j: number): number {
    const { n, period } = this;
    assertSeries('ReturnWindowBank', i, n);
    assertSeries('ReturnWindowBank', j, n);
    if (this.#bars <= period || period < 2) return Number.NaN;
    this.#prepare(i);
    this.#prepare(j);
    // The same sums, in the same order, as `correlation` on the two windows: equal bit for bit
    const deviations = this.#deviations;
    const left = i * period;
    const right = j * period;
    const xy = dot(deviations, left, deviations, right, period);
    return pearson(this.#squares[i]!, this.#squares[j]!, xy);
  }

  // The first, deviation pass of `correlation` for series i's window, once per bar
  #prepare(i: number): void {
    const bars = this.#bars;
    if (this.#preparedAt[i] === bars) return;
    const { n, period } = this;
    const window = this.#window;
    const deviations = this.#deviations;
    const from = i * period;
    // The slot the next return overwrites holds the oldest one
    const oldest = (bars - 1) % period;
    // One strided gather into the series' contiguous row; the two passes then read that row
    const end = from + period;
    let k = from;
    for (let slot = oldest; slot < period; slot++) deviations[k++] = window[slot * n + i]!;
    for (let slot = 0; slot < oldest; slot++) deviations[k++] = window[slot * n + i]!;
    const first = deviations[from]!;
    let sum = 0;
    for (k = from; k < end; k++) sum += deviations[k]! - first;
    const mean = sum / period;
    for (k = from; k < end; k++) deviations[k] = deviations[k]! - first - mean;
    // Summed in `correlation`'s order
    this.#squares[i] = dot(deviations, from, deviations, from, period);
    this.#preparedAt[i] = bars;
  }

  /** Plain JSON state; see `ReturnWindowBank.fromJSON`. */
  toJSON(): ReturnWindowBankState {
    return {
      n: this.n,
      period: this.period,
      bars: this.#bars,
      returns: this.#returns.toJSON(),
      window: toJsonNumbers(this.#window),
    };
  }

  /** Reads a saved state into a ReturnWindowBank. */
  static readonly schema: z.ZodType<ReturnWindowBank, ReturnWindowBankState> = bankSchema(
    ReturnWindowBankShape,
    (s, misfit) => {
      const bank = new ReturnWindowBank(s.n, s.period);
      if (s.returns.n !== s.n) misfit('returns', 'does not match n');
      bank.#bars = s.bars;
      bank.#returns = s.returns;
      return [bank, { window: bank.#window }];
    },
  );

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): ReturnWindowBank {
    return decodeState(ReturnWindowBank.schema, state, 'ReturnWindowBank');
  }
}
