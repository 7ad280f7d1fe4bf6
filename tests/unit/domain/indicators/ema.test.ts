import { describe, expect, it } from 'vitest';
import { ema } from '../../../../shared/domain/indicators/index.js';
import { expectSeriesClose, randomWalk } from './support.js';

// A straightforward TA-Lib EMA: SMA seed over the first period values, then k = 2 / (period + 1)
function referenceEma(values: Float64Array, period: number): number[] {
  const out = Array<number>(values.length).fill(Number.NaN);
  if (values.length < period) return out;
  let previous = 0;
  for (let t = 0; t < period; t++) previous += values[t]! / period;
  out[period - 1] = previous;
  const k = 2 / (period + 1);
  for (let t = period; t < values.length; t++) {
    previous = values[t]! * k + previous * (1 - k);
    out[t] = previous;
  }
  return out;
}

describe('ema', () => {
  it('is seeded by the SMA of the first period values, first value at period - 1', () => {
    // Seed (2 + 4) / 2 = 3, k = 2/3: (8 - 3) * 2/3 + 3 = 19/3, (6 - 19/3) * 2/3 + 19/3 = 55/9
    expectSeriesClose(ema(new Float64Array([2, 4, 8, 6]), 2), [Number.NaN, 3, 19 / 3, 55 / 9], {
      relative: 1e-15,
    });
  });

  it('lags a straight line by a constant', () => {
    // With period 3, k = 1/2: the EMA of 1..10 settles one step behind the line from the seed on
    const values = Float64Array.from({ length: 10 }, (_, t) => t + 1);
    expectSeriesClose(ema(values, 3), [Number.NaN, Number.NaN, 2, 3, 4, 5, 6, 7, 8, 9], {
      relative: 1e-15,
    });
  });

  it('is the series itself with period 1', () => {
    const values = randomWalk(50, 4);
    expectSeriesClose(ema(values, 1), values, { relative: 1e-15 });
  });

  it('keeps a constant series constant', () => {
    const out = ema(new Float64Array(30).fill(42), 10);
    expect(out.subarray(9).every((x) => x === 42)).toBe(true);
  });

  it.each([5, 12, 26])('matches a straightforward implementation with period %i', (period) => {
    const values = randomWalk(400, period);
    expectSeriesClose(ema(values, period), referenceEma(values, period), { relative: 1e-12 });
  });
});
