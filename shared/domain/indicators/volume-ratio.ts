import type * as z from 'zod';
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
import { SmaBank } from './sma.js';

/** Volume over its SMA, today included; NaN for period - 1 bars and where the average is 0. */
export function volumeRatio(volume: Float64Array, period = 20): Float64Array {
  assertPeriod(period, 'period');
  const length = volume.length;
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period - 1, length));
  if (length < period) return out;

  let sum = 0;
  for (let t = 0; t < period; t++) sum += volume[t]!;
  out[period - 1] = ratio(volume[period - 1]!, sum / period);
  for (let t = period; t < length; t++) {
    sum += volume[t]! - volume[t - period]!;
    out[t] = ratio(volume[t]!, sum / period);
  }
  return out;
}

// A zero average means a window without trades: the ratio means nothing there, so NaN, not Infinity
function ratio(volume: number, average: number): number {
  return average === 0 ? Number.NaN : volume / average;
}

const VolumeRatioBankShape = {
  n: CountSchema,
  period: PeriodSchema,
  average: SmaBank.schema,
  values: JsonNumbersSchema,
};
/** Saved state of a VolumeRatioBank. */
export type VolumeRatioBankState = z.input<z.ZodObject<typeof VolumeRatioBankShape>>;

/** Volume ratios of n series, one bar at a time; the same numbers as `volumeRatio`. */
export class VolumeRatioBank implements IndicatorBank<VolumeRatioBankState> {
  readonly n: number;
  readonly period: number;
  /** Current ratio per series; NaN until the series has `period` bars */
  readonly values: Float64Array;
  #average: SmaBank;

  constructor(n: number, period = 20) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.values = new Float64Array(n).fill(Number.NaN);
    this.#average = new SmaBank(n, period);
  }

  /** Adds one bar: the volume of each series. */
  update(volume: ArrayLike<number>): void {
    assertRow('VolumeRatioBank', 'volume', volume, this.n);
    this.updateValidated(volume);
  }

  /**
   * `update` for a row already checked the way `update` checks it (finite values): MarketState
   * validates each day's bars once for all its banks rather than once per bank.
   */
  updateValidated(volume: ArrayLike<number>): void {
    assertRow('VolumeRatioBank', 'volume', volume, this.n, false);
    const average = this.#average;
    average.updateValidated(volume);
    // Every series has the same number of bars, so series 0 answers for all
    if (this.n === 0 || !average.isReady(0)) return;
    const averages = average.values;
    const out = this.values;
    for (let i = 0; i < this.n; i++) out[i] = ratio(volume[i]!, averages[i]!);
  }

  /** Whether series i has `period` bars. */
  isReady(i: number): boolean {
    assertSeries('VolumeRatioBank', i, this.n);
    return this.#average.isReady(i);
  }

  /** Plain JSON state; see `VolumeRatioBank.fromJSON`. */
  toJSON(): VolumeRatioBankState {
    return {
      n: this.n,
      period: this.period,
      average: this.#average.toJSON(),
      values: toJsonNumbers(this.values),
    };
  }

  /** Reads a saved state into a VolumeRatioBank. */
  static readonly schema: z.ZodType<VolumeRatioBank, VolumeRatioBankState> = bankSchema(
    VolumeRatioBankShape,
    (s, misfit) => {
      const bank = new VolumeRatioBank(s.n, s.period);
      if (s.average.n !== s.n || s.average.period !== s.period) {
        misfit('average', 'does not match n and period');
      }
      bank.#average = s.average;
      return [bank, { values: bank.values }];
    },
  );

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): VolumeRatioBank {
    return decodeState(VolumeRatioBank.schema, state, 'VolumeRatioBank');
  }
}
