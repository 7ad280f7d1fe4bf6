import { expect } from 'vitest';
import { mulberry32 } from '../../../support/random.js';

/** A random walk of `length` values from `start`, each step up to ±step (absolute). */
export function randomWalk(length: number, seed: number, start = 100, step = 2): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(length);
  let value = start;
  for (let t = 0; t < length; t++) {
    value += (random() - 0.5) * 2 * step;
    out[t] = value;
  }
  return out;
}

/** Daily bars of one symbol. */
export interface Bars {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Random daily bars: a multiplicative random walk of closes, a range around it, with gaps. */
export function aSymbol(length: number, seed: number): Bars {
  const random = mulberry32(seed);
  const high = new Float64Array(length);
  const low = new Float64Array(length);
  const close = new Float64Array(length);
  const volume = new Float64Array(length);
  let price = 50 + 100 * random();
  for (let t = 0; t < length; t++) {
    // Every tenth bar or so gaps, so that the previous close lies outside the day's range
    const gap = random() < 0.1 ? (random() - 0.5) * 0.1 : 0;
    price *= 1 + (random() - 0.5) * 0.04 + gap;
    const open = price * (1 + (random() - 0.5) * 0.01);
    close[t] = price;
    high[t] = Math.max(open, price) * (1 + random() * 0.01);
    low[t] = Math.min(open, price) * (1 - random() * 0.01);
    volume[t] = Math.round(1e5 + 1e6 * random());
  }
  return { high, low, close, volume };
}

/** The values of every series at bar t: one row of a bank update. */
export function rowAt(series: readonly Float64Array[], t: number): Float64Array {
  return Float64Array.from(series, (values) => values[t]!);
}

/** Asserts two series have NaN at the same bars and agree elsewhere within relative + absolute. */
export function expectSeriesClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { relative = 1e-9, absolute = 0 } = {},
): void {
  expect(actual.length).toBe(expected.length);
  for (let t = 0; t < expected.length; t++) {
    const want = expected[t]!;
    const got = actual[t]!;
    if (Number.isNaN(want) || Number.isNaN(got)) {
      expect({ t, got }).toEqual({ t, got: want });
      continue;
    }
    const tolerance = relative * Math.abs(want) + absolute;
    if (Math.abs(got - want) > tolerance) expect({ t, got }).toEqual({ t, got: want });
  }
}

/** Number of leading NaN values. */
export function nanPrefix(values: ArrayLike<number>): number {
  let count = 0;
  while (count < values.length && Number.isNaN(values[count]!)) count++;
  return count;
}
