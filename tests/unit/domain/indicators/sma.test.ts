import { describe, expect, it } from 'vitest';
import { SmaBank, sma } from '../../../../shared/domain/indicators/index.js';
import { expectSeriesClose, randomWalk } from './support.js';

const oneToTen = Float64Array.from({ length: 10 }, (_, t) => t + 1);

describe('sma', () => {
  it.each([
    { period: 1, expected: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
    { period: 3, expected: [Number.NaN, Number.NaN, 2, 3, 4, 5, 6, 7, 8, 9] },
    {
      period: 4,
      expected: [Number.NaN, Number.NaN, Number.NaN, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5],
    },
    { period: 10, expected: [...Array<number>(9).fill(Number.NaN), 5.5] },
  ])('of 1..10 with period $period', ({ period, expected }) => {
    expectSeriesClose(sma(oneToTen, period), expected, { relative: 1e-15 });
  });

  it.each([
    { value: 2.5, relative: 0 }, // exact sums divide back exactly
    { value: 0.1, relative: 1e-15 }, // 7 × 0.1 rounds, so within one ulp or so
  ])('averages a constant $value to itself', ({ value, relative }) => {
    const out = sma(new Float64Array(40).fill(value), 7);
    expectSeriesClose(out.subarray(6), new Float64Array(34).fill(value), { relative });
  });

  it('matches a window-by-window average on a random walk', () => {
    const values = randomWalk(500, 3);
    const period = 21;
    const expected = Array.from(values, (_, t) => {
      if (t < period - 1) return Number.NaN;
      let sum = 0;
      for (let k = t - period + 1; k <= t; k++) sum += values[k]!;
      return sum / period;
    });
    expectSeriesClose(sma(values, period), expected, { relative: 1e-12 });
  });
});

describe('SmaBank', () => {
  it('averages each series independently', () => {
    const bank = new SmaBank(2, 2);
    bank.update([1, 100]);
    expect(bank.isReady(0)).toBe(false);
    bank.update([3, 50]);
    bank.update([5, 0]);
    expect(Array.from(bank.values)).toEqual([4, 25]);
    expect(bank.isReady(1)).toBe(true);
  });

  it('accepts day rows as plain arrays or typed-array views', () => {
    const days = new Float64Array([1, 2, 3, 4, 5, 6]);
    const bank = new SmaBank(2, 3);
    for (let d = 0; d < 3; d++) bank.update(days.subarray(d * 2, d * 2 + 2));
    expect(Array.from(bank.values)).toEqual([3, 4]);
  });
});
