import { InvalidInputError } from '../errors.js';
import {
  assertRow,
  assertSeries,
  type IndicatorBank,
  type JsonNumber,
  StateReader,
  toJsonNumbers,
} from './bank.js';
import { correlation } from './correlation.js';
import { assertCount, assertPeriod } from './guards.js';
import { ReturnsBank, type ReturnsBankState } from './returns.js';

/** Saved state of a ReturnWindowBank. */
export interface ReturnWindowBankState {
  n: number;
  period: number;
  bars: number;
  returns: ReturnsBankState;
  window: JsonNumber[];
}

/** The last `period` simple returns of n series, so that any two can be correlated on the day. */
export class ReturnWindowBank implements IndicatorBank<ReturnWindowBankState> {
  readonly n: number;
  readonly period: number;
  #bars = 0;
  #returns: ReturnsBank;
  // Ring of returns, slot-major ([slot * n + i]); return k (from 0) lives in slot k % period
  readonly #window: Float64Array;
  // Scratch for correlationOf, so that comparing pairs allocates nothing
  readonly #left: Float64Array;
  readonly #right: Float64Array;

  constructor(n: number, period: number) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.#returns = new ReturnsBank(n);
    this.#window = new Float64Array(n * period);
    this.#left = new Float64Array(period);
    this.#right = new Float64Array(period);
  }

  /** Adds one bar: the close of each series. */
  update(close: ArrayLike<number>): void {
    const n = this.n;
    assertRow('ReturnWindowBank', 'close', close, n);
    const returns = this.#returns;
    returns.update(close);
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
    const left = this.#left;
    const right = this.#right;
    if (!this.window(i, left)) {
      assertSeries('ReturnWindowBank', j, this.n);
      return Number.NaN;
    }
    this.window(j, right);
    return correlation(left, right);
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

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: ReturnWindowBankState): ReturnWindowBank {
    const reader = new StateReader('ReturnWindowBank', state);
    const n = reader.integer('n', 0);
    const period = reader.integer('period', 1);
    const bank = new ReturnWindowBank(n, period);
    bank.#bars = reader.integer('bars', 0);
    bank.#returns = ReturnsBank.fromJSON(reader.nested('returns') as ReturnsBankState);
    if (bank.#returns.n !== n) {
      throw new InvalidInputError('ReturnWindowBank state: returns does not match n');
    }
    bank.#window.set(reader.numbers('window', n * period));
    return bank;
  }
}
