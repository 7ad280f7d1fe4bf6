import { describe, expect, it } from 'vitest';
import {
  BollingerBank,
  bollinger,
  rollingStd,
  sma,
} from '../../../../shared/domain/indicators/index.js';
import { expectSeriesClose, randomWalk } from './support.js';

describe('bollinger', () => {
  it.each([
    { stdDevs: 2, upper: 9, lower: 1 },
    { stdDevs: 1, upper: 7, lower: 3 },
    { stdDevs: 0, upper: 5, lower: 5 },
  ])(
    'uses the population std: mean 5, std 2 with $stdDevs deviations',
    ({ stdDevs, upper, lower }) => {
      const bands = bollinger(new Float64Array([2, 4, 4, 4, 5, 5, 7, 9]), 8, stdDevs);
      expect(bands.middle[7]).toBeCloseTo(5, 14);
      expect(bands.upper[7]).toBeCloseTo(upper, 14);
      expect(bands.lower[7]).toBeCloseTo(lower, 14);
    },
  );

  it('follows a small window', () => {
    const bands = bollinger(new Float64Array([1, 2, 3, 4, 5]), 3, 2);
    const width = 2 * Math.sqrt(2 / 3);
    const nan = Number.NaN;
    expectSeriesClose(bands.middle, [nan, nan, 2, 3, 4], { relative: 1e-15 });
    expectSeriesClose(bands.upper, [nan, nan, 2 + width, 3 + width, 4 + width], {
      relative: 1e-14,
    });
    expectSeriesClose(bands.lower, [nan, nan, 2 - width, 3 - width, 4 - width], {
      relative: 1e-14,
    });
  });

  it('is the SMA ± stdDevs × rollingStd', () => {
    const close = randomWalk(3000, 10, 1000, 1);
    const { upper, middle, lower } = bollinger(close, 20, 2.5);
    const average = sma(close, 20);
    const std = rollingStd(close, 20);
    expectSeriesClose(middle, average, { relative: 1e-14 });
    expectSeriesClose(
      upper,
      average.map((m, t) => m + 2.5 * std[t]!),
      { relative: 1e-14 },
    );
    expectSeriesClose(
      lower,
      average.map((m, t) => m - 2.5 * std[t]!),
      { relative: 1e-14 },
    );
  });

  it('defaults to period 20 and 2 deviations', () => {
    const close = randomWalk(60, 11);
    expect(bollinger(close)).toEqual(bollinger(close, 20, 2));
    expect(Number.isNaN(bollinger(close).upper[18]!)).toBe(true);
    expect(Number.isNaN(bollinger(close).upper[19]!)).toBe(false);
  });

  it('collapses onto a constant series', () => {
    const bands = bollinger(new Float64Array(30).fill(1000.1), 10);
    for (let t = 9; t < 30; t++) {
      expect(bands.upper[t]).toBe(bands.middle[t]);
      expect(bands.lower[t]).toBe(bands.middle[t]);
    }
  });
});

describe('BollingerBank', () => {
  it('exposes the three bands per series', () => {
    const bank = new BollingerBank(2, 8, 1);
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    for (const x of values) bank.update([x, 3]);
    expect(bank.middle[0]).toBeCloseTo(5, 14);
    expect(bank.upper[0]).toBeCloseTo(7, 14);
    expect(bank.lower[0]).toBeCloseTo(3, 14);
    expect([bank.lower[1], bank.middle[1], bank.upper[1]]).toEqual([3, 3, 3]);
  });
});
