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
import { assertCount, assertLength, assertPeriod } from './guards.js';

/** Average true range as TA-Lib: first value at `period` (mean of TR 1..period), then Wilder. */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
): Float64Array {
  assertPeriod(period, 'period');
  const length = high.length;
  assertLength(low, 'low', length, 'high');
  assertLength(close, 'close', length, 'high');
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period, length));
  if (length <= period) return out;

  let average = 0;
  for (let t = 1; t <= period; t++) average += trueRange(high[t]!, low[t]!, close[t - 1]!);
  average /= period;
  out[period] = average;

  const keep = period - 1;
  for (let t = period + 1; t < length; t++) {
    average = (average * keep + trueRange(high[t]!, low[t]!, close[t - 1]!)) / period;
    out[t] = average;
  }
  return out;
}

/**
 * TA-Lib's max(h - l, |h - c'|, |l - c'|), written as max(h, c') - min(l, c') with the max and min
 * done without branches: whether yesterday's close lies outside today's range is a coin flip the
 * CPU mispredicts, which halved the speed of Math.max/Math.min. max(0, z) = (z + |z|) / 2 is
 * exact, and so is h + (c' - h) = c' while c' is within a factor 2 of h (and likewise for l), so
 * the result has TA-Lib's bits unless a price halves or doubles overnight.
 */
function trueRange(high: number, low: number, previousClose: number): number {
  const above = previousClose - high;
  const below = low - previousClose;
  return high + (above + Math.abs(above)) * 0.5 - (low - (below + Math.abs(below)) * 0.5);
}

const AtrBankShape = {
  n: CountSchema,
  period: PeriodSchema,
  bars: CountSchema,
  previousClose: JsonNumbersSchema,
  // The sum of true ranges while seeding, then the Wilder average
  average: JsonNumbersSchema,
  values: JsonNumbersSchema,
};
/** Saved state of an AtrBank. */
export type AtrBankState = z.input<z.ZodObject<typeof AtrBankShape>>;

/** ATR of n series, one bar at a time; the same numbers as `atr`. */
export class AtrBank implements IndicatorBank<AtrBankState> {
  readonly n: number;
  readonly period: number;
  /** Current ATR per series; NaN until the series has period + 1 bars */
  readonly values: Float64Array;
  #bars = 0;
  readonly #previousClose: Float64Array;
  readonly #average: Float64Array;

  constructor(n: number, period = 14) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.values = new Float64Array(n).fill(Number.NaN);
    this.#previousClose = new Float64Array(n);
    this.#average = new Float64Array(n);
  }

  /** Adds one bar: the high, low and close of each series. */
  update(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): void {
    assertRow('AtrBank', 'high', high, this.n);
    assertRow('AtrBank', 'low', low, this.n);
    assertRow('AtrBank', 'close', close, this.n);
    this.updateValidated(high, low, close);
  }

  /**
   * `update` for a row already checked the way `update` checks it (finite values): MarketState
   * validates each day's bars once for all its banks rather than once per bank.
   */
  updateValidated(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): void {
    const { n, period } = this;
    assertRow('AtrBank', 'high', high, n, false);
    assertRow('AtrBank', 'low', low, n, false);
    assertRow('AtrBank', 'close', close, n, false);
    const previousClose = this.#previousClose;
    const average = this.#average;
    const out = this.values;
    const bars = this.#bars;
    if (bars === 0) {
      for (let i = 0; i < n; i++) previousClose[i] = close[i]!;
    } else if (bars <= period) {
      for (let i = 0; i < n; i++) {
        average[i]! += trueRange(high[i]!, low[i]!, previousClose[i]!);
        previousClose[i] = close[i]!;
      }
      if (bars === period) {
        for (let i = 0; i < n; i++) {
          average[i] = average[i]! / period;
          out[i] = average[i]!;
        }
      }
    } else {
      const keep = period - 1;
      for (let i = 0; i < n; i++) {
        const next =
          (average[i]! * keep + trueRange(high[i]!, low[i]!, previousClose[i]!)) / period;
        average[i] = next;
        out[i] = next;
        previousClose[i] = close[i]!;
      }
    }
    this.#bars = bars + 1;
  }

  /** Whether series i has period + 1 bars. */
  isReady(i: number): boolean {
    assertSeries('AtrBank', i, this.n);
    return this.#bars > this.period;
  }

  #floats() {
    return { previousClose: this.#previousClose, average: this.#average, values: this.values };
  }

  /** Plain JSON state; see `AtrBank.fromJSON`. */
  toJSON(): AtrBankState {
    return { n: this.n, period: this.period, bars: this.#bars, ...jsonNumbers(this.#floats()) };
  }

  /** Reads a saved state into an AtrBank. */
  static readonly schema: z.ZodType<AtrBank, AtrBankState> = bankSchema(AtrBankShape, (s) => {
    const bank = new AtrBank(s.n, s.period);
    bank.#bars = s.bars;
    return [bank, bank.#floats()];
  });

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): AtrBank {
    return decodeState(AtrBank.schema, state, 'AtrBank');
  }
}
