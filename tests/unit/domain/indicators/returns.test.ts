import { describe, expect, it } from 'vitest';
import {
  ReturnsBank,
  returns,
  rollingStd,
  VolatilityBank,
} from '../../../../shared/domain/indicators/index.js';
import { expectSeriesClose, randomWalk } from './support.js';

describe('returns', () => {
  it('is close over previous close minus 1, NaN first', () => {
    expectSeriesClose(returns(new Float64Array([100, 110, 99, 99])), [Number.NaN, 0.1, -0.1, 0], {
      relative: 1e-14,
    });
  });

  it('is NaN alone for a single close', () => {
    expect(Array.from(returns(new Float64Array([5])))).toEqual([Number.NaN]);
  });

  it('banks the same returns', () => {
    const bank = new ReturnsBank(2);
    bank.update([100, 50]);
    expect(bank.isReady(0)).toBe(false);
    bank.update([110, 40]);
    expect(bank.values[0]).toBeCloseTo(0.1, 15);
    expect(bank.values[1]).toBeCloseTo(-0.2, 15);
  });
});

// Streams one series of closes through a VolatilityBank: its value after every bar
function volatility(close: Float64Array, period = 20): Float64Array {
  const bank = new VolatilityBank(1, period);
  return close.map((x) => {
    bank.update([x]);
    return bank.values[0]!;
  });
}

describe('VolatilityBank', () => {
  it('is the population std of the last period returns, first at index period', () => {
    // Returns +10 %, -10 %, +10 %: each window of two has std 0.1
    const out = volatility(new Float64Array([100, 110, 99, 108.9]), 2);
    expectSeriesClose(out, [Number.NaN, Number.NaN, 0.1, 0.1], { relative: 1e-12 });
  });

  it('is rollingStd of returns, bit for bit', () => {
    const close = randomWalk(2000, 12, 100, 1);
    const expected = new Float64Array(2000).fill(Number.NaN);
    expected.set(rollingStd(returns(close).subarray(1), 20), 1);
    expectSeriesClose(volatility(close), expected, { relative: 0 });
  });

  it('is 0 for a steady compounding at an exactly representable rate', () => {
    const close = Float64Array.from({ length: 30 }, (_, t) => 2 ** t); // +100 % every day
    expect(
      volatility(close, 5)
        .subarray(5)
        .every((x) => x === 0),
    ).toBe(true);
  });

  it('is 0 while a price is halted, for a whole window', () => {
    const close = new Float64Array([...randomWalk(30, 13), ...Array(15).fill(80)]);
    const out = volatility(close, 10);
    for (let t = 40; t < 45; t++) expect(out[t]).toBe(0);
    expect(out[39]).toBeGreaterThan(0);
  });

  it('is ready once it has period + 1 bars', () => {
    const bank = new VolatilityBank(1, 2);
    for (const close of [100, 110, 99]) bank.update([close]);
    expect(bank.isReady(0)).toBe(true);
  });
});
