import { describe, expect, it } from 'vitest';
import {
  dailyReturns,
  drawdownSeries,
  equalWeightReturns,
} from '../../../../shared/domain/metrics/series.js';

const f64 = (values: number[]) => Float64Array.from(values);

describe('dailyReturns', () => {
  it('measures day 0 against the initial capital', () => {
    // 100/100 - 1, 110/100 - 1, 99/110 - 1, 108.9/99 - 1
    const returns = dailyReturns(f64([100, 110, 99, 108.9]), 100);
    expect(Array.from(returns)).toEqual([0, 0.1, -0.1, 0.1].map((r) => expect.closeTo(r, 12)));
  });

  it('returns an empty series for no days', () => {
    expect(dailyReturns(f64([]), 100)).toHaveLength(0);
  });
});

describe('drawdownSeries', () => {
  it.each([
    // Peak 110: 1 - 99/110 = 0.1, 1 - 108.9/110 = 0.01
    { equity: [100, 110, 99, 108.9], drawdowns: [0, 0, 0.1, 0.01] },
    // The initial capital of 100 is the first peak: 1 - 90/100, 1 - 95/100, then recovered
    { equity: [90, 95, 100, 101], drawdowns: [0.1, 0.05, 0, 0] },
  ])('$equity from 100 -> $drawdowns', ({ equity, drawdowns }) => {
    const series = drawdownSeries(f64(equity), 100);
    expect(Array.from(series)).toEqual(drawdowns.map((dd) => expect.closeTo(dd, 12)));
  });
});

describe('equalWeightReturns', () => {
  it('averages the symbols’ daily returns, rebalanced daily', () => {
    // Day-major: day 0 [10, 20], day 1 [11, 18], day 2 [12.1, 18]
    const close = f64([10, 20, 11, 18, 12.1, 18]);
    const returns = equalWeightReturns(close, 2, 3);
    expect(returns[0]).toBeNaN();
    expect(returns[1]).toBeCloseTo(0, 12); // (11/10 - 1 + 18/20 - 1) / 2 = (0.1 - 0.1) / 2
    expect(returns[2]).toBeCloseTo(0.05, 12); // (12.1/11 - 1 + 18/18 - 1) / 2 = (0.1 + 0) / 2
  });

  it('leaves a symbol without a close on either day out of that day', () => {
    // Symbol 1 is listed from day 1: day 0 [10, NaN], day 1 [11, 20], day 2 [11, 22]
    const close = f64([10, Number.NaN, 11, 20, 11, 22]);
    const returns = equalWeightReturns(close, 2, 3);
    expect(returns[1]).toBeCloseTo(0.1, 12); // 11/10 - 1 alone
    expect(returns[2]).toBeCloseTo(0.05, 12); // (11/11 - 1 + 22/20 - 1) / 2
  });

  it('is NaN on a day no symbol has two closes', () => {
    const close = f64([Number.NaN, Number.NaN, 10, 20]);
    expect(Array.from(equalWeightReturns(close, 2, 2))).toEqual([Number.NaN, Number.NaN]);
  });

  it('rejects a matrix whose size is not symbols × days', () => {
    expect(() => equalWeightReturns(f64([1, 2, 3]), 2, 2)).toThrow(RangeError);
  });
});
