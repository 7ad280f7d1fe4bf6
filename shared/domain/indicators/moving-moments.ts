import type * as z from 'zod';
import { CountSchema, JsonNumbersSchema, jsonNumbers, PeriodSchema } from '../state-codec.js';

// Rolling variance, done so that prices near 1000 with moves of 0.01 keep their digits:
// - values are taken relative to a shift, one value of the window, so sums stay at the scale of
//   the moves rather than of the prices (raw sums of x and x² cancel away every digit needed);
// - the squared deviations slide with a Welford-style update instead of a sum of squares, kept
//   scaled by the period (W = period × Σ(y - ȳ)²) so that the update needs the sums only:
//   W' = W + Δ·(period·(y + y_old) - S' - S). The unscaled update needs the new mean S'/period
//   each bar, and that division held rollingStd to 2/3 of this speed; a multiplication by
//   1/period instead is biased the same way every bar and was 4× less accurate;
// - every `realignInterval(period)` bars, when the window lines up with a block of `period` bars,
//   the shift, sum and squares are re-derived from the window, so rounding cannot drift for long;
// - a run of repeats as long as the window marks an exactly constant window: std exactly 0.
// Against an exact two-pass, random walks near 1000 with 0.01 moves (100k bars) and near 1e6 with
// ±1 moves stayed within 1.2e-14 relative (1.1e-13 at period 5); without the shift they were 6e-9
// off, and 5e-6 without the shift and the re-derivation

/** Bars between two re-derivations: the smallest multiple of the period that is at least 64. */
export function realignInterval(period: number): number {
  // Every `period` bars cost Bollinger 30% of its speed for no accuracy that shows
  return period * Math.ceil(64 / period);
}

/** Sum of `count` values at offset, offset + stride, …, less `shift`, added oldest first. */
export function windowSum(
  data: Float64Array,
  offset: number,
  stride: number,
  count: number,
  shift: number,
): number {
  let sum = 0;
  for (let k = 0; k < count; k++) sum += data[offset + k * stride]! - shift;
  return sum;
}

/** Σ(x - shift - mean)² of values at offset, offset + stride, …, by the corrected two-pass; ≥ 0. */
export function squaredDeviations(
  data: Float64Array,
  offset: number,
  stride: number,
  count: number,
  shift: number,
  mean: number,
): number {
  let sum = 0;
  let squares = 0;
  for (let k = 0; k < count; k++) {
    const deviation = data[offset + k * stride]! - shift - mean;
    sum += deviation;
    squares += deviation * deviation;
  }
  return Math.max(squares - (sum * sum) / count, 0);
}

/** The fields of a MovingMoments in the JSON of the bank that owns it. */
export const MovingMomentsShape = {
  n: CountSchema,
  period: PeriodSchema,
  bars: CountSchema,
  shift: JsonNumbersSchema,
  sum: JsonNumbersSchema,
  mean: JsonNumbersSchema,
  /** period × Σ squared deviations */
  scaledSquares: JsonNumbersSchema,
  run: JsonNumbersSchema,
  window: JsonNumbersSchema,
};
/** Saved state of a MovingMoments. */
export type MovingMomentsState = z.input<z.ZodObject<typeof MovingMomentsShape>>;

/** Rolling mean and squared deviations of n series, with the batch std loops' exact arithmetic. */
export class MovingMoments {
  readonly n: number;
  readonly period: number;
  readonly #interval: number;
  /** Per series, the value the others are taken relative to */
  readonly shift: Float64Array;
  /** Window mean less the shift per series, defined once the window is full */
  readonly mean: Float64Array;
  /** period × the sum of squared deviations from the mean per series, once the window is full */
  readonly scaledSquares: Float64Array;
  /** 1 / period², which turns scaledSquares into the variance */
  readonly scale: number;
  #bars = 0;
  readonly #sum: Float64Array;
  // How many bars in a row repeated the previous value
  readonly #run: Float64Array;
  // Slot-major ([slot * n + i]) so that one bar writes one contiguous slot
  readonly #window: Float64Array;

  constructor(n: number, period: number) {
    this.n = n;
    this.period = period;
    this.#interval = realignInterval(period);
    this.shift = new Float64Array(n);
    this.mean = new Float64Array(n).fill(Number.NaN);
    this.scaledSquares = new Float64Array(n).fill(Number.NaN);
    this.scale = 1 / (period * period);
    this.#sum = new Float64Array(n);
    this.#run = new Float64Array(n);
    this.#window = new Float64Array(n * period);
  }

  /** Whether the window is full. */
  get ready(): boolean {
    return this.#bars >= this.period;
  }

  /** Adds one bar (already validated by the owning bank). */
  push(row: ArrayLike<number>): void {
    const { n, period } = this;
    const last = period - 1;
    const shift = this.shift;
    const sum = this.#sum;
    const run = this.#run;
    const window = this.#window;
    const mean = this.mean;
    const scaled = this.scaledSquares;
    const bars = this.#bars;
    const slot = (bars % period) * n;
    const previousSlot = ((bars + last) % period) * n;
    if (bars < period) {
      for (let i = 0; i < n; i++) {
        const x = row[i]!;
        if (bars === 0) shift[i] = x;
        run[i] = bars > 0 && x === window[previousSlot + i] ? run[i]! + 1 : 0;
        sum[i]! += x - shift[i]!;
        window[slot + i] = x;
      }
      if (bars === last) {
        for (let i = 0; i < n; i++) {
          const average = sum[i]! / period;
          mean[i] = average;
          scaled[i] =
            run[i]! >= last
              ? 0
              : period * squaredDeviations(window, i, n, period, shift[i]!, average);
        }
      }
    } else {
      // The interval is a multiple of the period, so the newest value then lands in the last slot:
      // the window is in chronological slot order and slot 0 holds its oldest value
      const aligned = (bars + 1) % this.#interval === 0;
      for (let i = 0; i < n; i++) {
        const x = row[i]!;
        const old = window[slot + i]!;
        const repeats = x === window[previousSlot + i] ? run[i]! + 1 : 0;
        let reference = shift[i]!;
        const y = x - reference;
        const yOld = old - reference;
        const change = y - yOld;
        const before = sum[i]!;
        let total = before + change;
        let w = scaled[i]! + change * (period * (y + yOld) - total - before);
        window[slot + i] = x;
        if (aligned) {
          reference = window[i]!;
          total = windowSum(window, i, n, period, reference);
          w = period * squaredDeviations(window, i, n, period, reference, total / period);
        }
        if (repeats >= last || w < 0) w = 0;
        run[i] = repeats;
        shift[i] = reference;
        sum[i] = total;
        mean[i] = total / period;
        scaled[i] = w;
      }
    }
    this.#bars = bars + 1;
  }

  #floats() {
    const { shift, mean, scaledSquares } = this;
    return { shift, sum: this.#sum, mean, scaledSquares, run: this.#run, window: this.#window };
  }

  /** Plain JSON state. */
  toJSON(): MovingMomentsState {
    return { n: this.n, period: this.period, bars: this.#bars, ...jsonNumbers(this.#floats()) };
  }

  /** Empty moments with a saved state's counters, and the arrays its float fields fill. */
  static restore(state: {
    n: number;
    period: number;
    bars: number;
  }): [MovingMoments, Record<string, Float64Array>] {
    const moments = new MovingMoments(state.n, state.period);
    moments.#bars = state.bars;
    return [moments, moments.#floats()];
  }
}
