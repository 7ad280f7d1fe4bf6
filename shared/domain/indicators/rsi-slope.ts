import {
  assertRow,
  assertSeries,
  type IndicatorBank,
  type JsonNumber,
  StateReader,
  toJsonNumbers,
} from './bank.js';
import { assertCount, assertPeriod } from './guards.js';

/** Change of the RSI over `lookback` bars, rsi[t] - rsi[t - lookback]; NaN while either is NaN. */
export function rsiSlope(rsi: Float64Array, lookback = 1): Float64Array {
  assertPeriod(lookback, 'lookback');
  const length = rsi.length;
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(lookback, length));
  for (let t = lookback; t < length; t++) out[t] = rsi[t]! - rsi[t - lookback]!;
  return out;
}

/** Saved state of an RsiSlopeBank. */
export interface RsiSlopeBankState {
  n: number;
  lookback: number;
  bars: number;
  history: JsonNumber[];
  values: JsonNumber[];
}

/** RSI slopes of n series fed with an RsiBank's values; the same numbers as `rsiSlope`. */
export class RsiSlopeBank implements IndicatorBank<RsiSlopeBankState> {
  readonly n: number;
  readonly lookback: number;
  /** Current slope per series; NaN until both RSI values are defined */
  readonly values: Float64Array;
  #bars = 0;
  // The last `lookback` RSI values, slot-major ([slot * n + i])
  readonly #history: Float64Array;

  constructor(n: number, lookback = 1) {
    assertCount(n, 'n');
    assertPeriod(lookback, 'lookback');
    this.n = n;
    this.lookback = lookback;
    this.values = new Float64Array(n).fill(Number.NaN);
    this.#history = new Float64Array(n * lookback).fill(Number.NaN);
  }

  /** Adds one bar: the RSI of each series, NaN while the RSI warms up. */
  update(rsi: ArrayLike<number>): void {
    const { n, lookback } = this;
    // NaN is an expected input here (an RSI still warming up), and it flows out as NaN
    assertRow('RsiSlopeBank', 'rsi', rsi, n, false);
    const history = this.#history;
    const out = this.values;
    const slot = (this.#bars % lookback) * n;
    const full = this.#bars >= lookback;
    for (let i = 0; i < n; i++) {
      const x = rsi[i]!;
      if (full) out[i] = x - history[slot + i]!;
      history[slot + i] = x;
    }
    this.#bars++;
  }

  /** Whether series i has a slope: RSI values defined now and `lookback` bars ago. */
  isReady(i: number): boolean {
    assertSeries('RsiSlopeBank', i, this.n);
    return !Number.isNaN(this.values[i]!);
  }

  /** Plain JSON state; see `RsiSlopeBank.fromJSON`. */
  toJSON(): RsiSlopeBankState {
    return {
      n: this.n,
      lookback: this.lookback,
      bars: this.#bars,
      history: toJsonNumbers(this.#history),
      values: toJsonNumbers(this.values),
    };
  }

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: RsiSlopeBankState): RsiSlopeBank {
    const reader = new StateReader('RsiSlopeBank', state);
    const n = reader.integer('n', 0);
    const lookback = reader.integer('lookback', 1);
    const bank = new RsiSlopeBank(n, lookback);
    bank.#bars = reader.integer('bars', 0);
    bank.#history.set(reader.numbers('history', n * lookback));
    bank.values.set(reader.numbers('values', n));
    return bank;
  }
}
