import type * as z from 'zod';
import {
  bankSchema,
  CountSchema,
  decodeState,
  JsonNumbersSchema,
  jsonNumbers,
} from '../state-codec.js';
import { assertRow, assertSeries, type IndicatorBank } from './bank.js';
import { assertCount } from './guards.js';

/** Simple returns close[t] / close[t-1] - 1; NaN at index 0. */
export function returns(close: Float64Array): Float64Array {
  const length = close.length;
  const out = new Float64Array(length);
  if (length === 0) return out;
  out[0] = Number.NaN;
  for (let t = 1; t < length; t++) out[t] = close[t]! / close[t - 1]! - 1;
  return out;
}

const ReturnsBankShape = {
  n: CountSchema,
  bars: CountSchema,
  previousClose: JsonNumbersSchema,
  values: JsonNumbersSchema,
};
/** Saved state of a ReturnsBank. */
export type ReturnsBankState = z.input<z.ZodObject<typeof ReturnsBankShape>>;

/** Simple returns of n series, one bar at a time; the same numbers as `returns`. */
export class ReturnsBank implements IndicatorBank<ReturnsBankState> {
  readonly n: number;
  /** Latest return per series; NaN until the series has 2 bars */
  readonly values: Float64Array;
  #bars = 0;
  readonly #previousClose: Float64Array;

  constructor(n: number) {
    assertCount(n, 'n');
    this.n = n;
    this.values = new Float64Array(n).fill(Number.NaN);
    this.#previousClose = new Float64Array(n);
  }

  /** Adds one bar: the close of each series. */
  update(close: ArrayLike<number>): void {
    assertRow('ReturnsBank', 'close', close, this.n);
    this.updateValidated(close);
  }

  /**
   * `update` for a row already checked the way `update` checks it (finite values): MarketState
   * validates each day's bars once for all its banks rather than once per bank.
   */
  updateValidated(close: ArrayLike<number>): void {
    const n = this.n;
    assertRow('ReturnsBank', 'close', close, n, false);
    const previousClose = this.#previousClose;
    const out = this.values;
    if (this.#bars > 0) {
      // One pass: each value is read once while it is in cache
      for (let i = 0; i < n; i++) {
        const x = close[i]!;
        out[i] = x / previousClose[i]! - 1;
        previousClose[i] = x;
      }
    } else {
      for (let i = 0; i < n; i++) previousClose[i] = close[i]!;
    }
    this.#bars++;
  }

  /** Whether series i has 2 bars. */
  isReady(i: number): boolean {
    assertSeries('ReturnsBank', i, this.n);
    return this.#bars >= 2;
  }

  #floats() {
    return { previousClose: this.#previousClose, values: this.values };
  }

  /** Plain JSON state; see `ReturnsBank.fromJSON`. */
  toJSON(): ReturnsBankState {
    return { n: this.n, bars: this.#bars, ...jsonNumbers(this.#floats()) };
  }

  /** Reads a saved state into a ReturnsBank. */
  static readonly schema: z.ZodType<ReturnsBank, ReturnsBankState> = bankSchema(
    ReturnsBankShape,
    (s) => {
      const bank = new ReturnsBank(s.n);
      bank.#bars = s.bars;
      return [bank, bank.#floats()];
    },
  );

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): ReturnsBank {
    return decodeState(ReturnsBank.schema, state, 'ReturnsBank');
  }
}
