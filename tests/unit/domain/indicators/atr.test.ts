import { describe, expect, it } from 'vitest';
import { AtrBank, atr } from '../../../../shared/domain/indicators/index.js';
import { aSymbol, expectSeriesClose } from './support.js';

// Bars with the previous close inside, above and below the day's range:
//   bar 1: TR = |10.2 - 9.5| = 0.7 (high against the previous close)
//   bar 2: TR = 10.5 - 9.9 = 0.6 (the plain range)
//   bar 3: gap up, TR = 12 - 10.4 = 1.6
//   bar 4: gap down, TR = |10.5 - 11.8| = 1.3
//   bar 5: inside bar, TR = 10.9 - 10.3 = 0.6
const high = new Float64Array([10, 10.2, 10.5, 12, 11, 10.9]);
const low = new Float64Array([9, 9.6, 9.9, 11.5, 10.5, 10.3]);
const close = new Float64Array([9.5, 10, 10.4, 11.8, 10.6, 10.8]);

// Straightforward TA-Lib ATR: max of the three ranges, mean of TR 1..period, then Wilder
function referenceAtr(h: Float64Array, l: Float64Array, c: Float64Array, period: number): number[] {
  const out = Array<number>(c.length).fill(Number.NaN);
  const ranges = [Number.NaN];
  for (let t = 1; t < c.length; t++) {
    ranges.push(Math.max(h[t]! - l[t]!, Math.abs(h[t]! - c[t - 1]!), Math.abs(l[t]! - c[t - 1]!)));
  }
  if (c.length <= period) return out;
  let average = ranges.slice(1, period + 1).reduce((a, b) => a + b, 0) / period;
  out[period] = average;
  for (let t = period + 1; t < c.length; t++) {
    average = (average * (period - 1) + ranges[t]!) / period;
    out[t] = average;
  }
  return out;
}

describe('atr', () => {
  it('averages true ranges across gaps, then smooths like Wilder', () => {
    // (0.7 + 0.6 + 1.6) / 3 = 29/30; (2 * 29/30 + 1.3) / 3 = 97/90; (2 * 97/90 + 0.6) / 3 = 124/135
    const expected = [Number.NaN, Number.NaN, Number.NaN, 29 / 30, 97 / 90, 124 / 135];
    expectSeriesClose(atr(high, low, close, 3), expected, { relative: 1e-12 });
  });

  it('is the true range itself with period 1', () => {
    expectSeriesClose(atr(high, low, close, 1), [Number.NaN, 0.7, 0.6, 1.6, 1.3, 0.6], {
      relative: 1e-12,
    });
  });

  it.each([3, 14, 20])('matches a straightforward implementation with period %i', (period) => {
    const bars = aSymbol(500, period);
    expectSeriesClose(
      atr(bars.high, bars.low, bars.close, period),
      referenceAtr(bars.high, bars.low, bars.close, period),
      { relative: 1e-12 },
    );
  });

  it('is 0 for bars that never move', () => {
    const flat = new Float64Array(20).fill(7);
    expect(
      atr(flat, flat, flat, 5)
        .subarray(5)
        .every((x) => x === 0),
    ).toBe(true);
  });
});

describe('AtrBank', () => {
  it('follows the crafted bars', () => {
    const bank = new AtrBank(1, 3);
    for (let t = 0; t < close.length; t++) bank.update([high[t]!], [low[t]!], [close[t]!]);
    expect(bank.values[0]).toBeCloseTo(124 / 135, 12);
  });
});
