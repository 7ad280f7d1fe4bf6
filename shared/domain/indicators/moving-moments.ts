import { type JsonNumber, type StateReader, toJsonNumbers } from './bank.js';

// Rolling variance is kept as a running sum (for the mean) plus a sliding Welford update of the
// squared deviations. Raw sums of x and x² lose every digit that prices near 1000 with small moves
// need; the sliding update works at the scale of the deviations instead. The running sum and the
// update still drift by rounding (the std of a random walk near 1000 with 0.01 steps was 5e-6
// off after 100k bars, mostly through the mean), so whenever the window lines up with a block of
// `period` bars both are re-derived from the window: exact again, at O(1) per bar on average

/** Sum of `count` values at offset, offset + stride, …, added oldest first. */
export function windowSum(
  data: Float64Array,
  offset: number,
  stride: number,
  count: number,
): number {
  let sum = 0;
  for (let k = 0; k < count; k++) sum += data[offset + k * stride]!;
  return sum;
}

/**
 * Sum of squared deviations from `mean` of `count` values at offset, offset + stride, …, corrected
 * for the rounding left in the mean (the corrected two-pass formula); never negative.
 */
export function squaredDeviations(
  data: Float64Array,
  offset: number,
  stride: number,
  count: number,
  mean: number,
): number {
  let sum = 0;
  let squares = 0;
  for (let k = 0; k < count; k++) {
    const deviation = data[offset + k * stride]! - mean;
    sum += deviation;
    squares += deviation * deviation;
  }
  const result = squares - (sum * sum) / count;
  return Math.max(result, 0);
}

/** Saved state of a MovingMoments. */
export interface MovingMomentsState {
  n: number;
  period: number;
  bars: number;
  sum: JsonNumber[];
  mean: JsonNumber[];
  squares: JsonNumber[];
  run: JsonNumber[];
  window: JsonNumber[];
}

/**
 * Rolling mean and sum of squared deviations of n series: the state behind the standard-deviation
 * banks, doing per series exactly the arithmetic of the batch loops.
 */
export class MovingMoments {
  readonly n: number;
  readonly period: number;
  /** Window mean per series (sum / period), defined once the window is full */
  readonly mean: Float64Array;
  /** Sum of squared deviations from the mean per series, defined once the window is full */
  readonly squares: Float64Array;
  #bars = 0;
  readonly #sum: Float64Array;
  // How many bars in a row repeated the previous value: a window of one repeated value has exactly
  // zero variance, which the sliding update alone only gets to within rounding
  readonly #run: Float64Array;
  // Slot-major ([slot * n + i]) so that one bar writes one contiguous slot
  readonly #window: Float64Array;

  constructor(n: number, period: number) {
    this.n = n;
    this.period = period;
    this.mean = new Float64Array(n).fill(Number.NaN);
    this.squares = new Float64Array(n).fill(Number.NaN);
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
    const sum = this.#sum;
    const run = this.#run;
    const window = this.#window;
    const mean = this.mean;
    const squares = this.squares;
    const bars = this.#bars;
    const slot = (bars % period) * n;
    const previousSlot = ((bars + last) % period) * n;
    // The window is in chronological slot order exactly when its newest value lands in the last slot
    const aligned = slot === last * n;
    if (bars < period) {
      for (let i = 0; i < n; i++) {
        const x = row[i]!;
        run[i] = bars > 0 && x === window[previousSlot + i] ? run[i]! + 1 : 0;
        sum[i]! += x;
        window[slot + i] = x;
      }
      if (bars === last) {
        for (let i = 0; i < n; i++) {
          const average = sum[i]! / period;
          mean[i] = average;
          squares[i] = run[i]! >= last ? 0 : squaredDeviations(window, i, n, period, average);
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const x = row[i]!;
        const old = window[slot + i]!;
        const repeats = x === window[previousSlot + i] ? run[i]! + 1 : 0;
        const change = x - old;
        let total = sum[i]! + change;
        let next = total / period;
        let m2 = squares[i]! + change * (x - next + old - mean[i]!);
        window[slot + i] = x;
        if (aligned) {
          total = windowSum(window, i, n, period);
          next = total / period;
          m2 = squaredDeviations(window, i, n, period, next);
        }
        if (repeats >= last || m2 < 0) m2 = 0;
        run[i] = repeats;
        sum[i] = total;
        mean[i] = next;
        squares[i] = m2;
      }
    }
    this.#bars = bars + 1;
  }

  /** Plain JSON state. */
  toJSON(): MovingMomentsState {
    return {
      n: this.n,
      period: this.period,
      bars: this.#bars,
      sum: toJsonNumbers(this.#sum),
      mean: toJsonNumbers(this.mean),
      squares: toJsonNumbers(this.squares),
      run: toJsonNumbers(this.#run),
      window: toJsonNumbers(this.#window),
    };
  }

  /** Restores the moments from a reader over a state written by `toJSON`, for a bank of that shape. */
  static read(reader: StateReader, n: number, period: number): MovingMoments {
    reader.expect('n', n);
    reader.expect('period', period);
    const moments = new MovingMoments(n, period);
    moments.#bars = reader.integer('bars', 0);
    moments.#sum.set(reader.numbers('sum', n));
    moments.mean.set(reader.numbers('mean', n));
    moments.squares.set(reader.numbers('squares', n));
    moments.#run.set(reader.numbers('run', n));
    moments.#window.set(reader.numbers('window', n * period));
    return moments;
  }
}
