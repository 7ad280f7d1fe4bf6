import { describe, expect, it } from 'vitest';
import { RsiSlopeBank, rsiSlope } from '../../../../shared/domain/indicators/index.js';
import { expectSeriesClose } from './support.js';

const nan = Number.NaN;

describe('rsiSlope', () => {
  it.each([
    { lookback: 1, expected: [nan, 2, 3, -4, 1] },
    { lookback: 2, expected: [nan, nan, 5, -1, -3] },
    { lookback: 5, expected: [nan, nan, nan, nan, nan] },
  ])('over $lookback bars', ({ lookback, expected }) => {
    expectSeriesClose(rsiSlope(new Float64Array([50, 52, 55, 51, 52]), lookback), expected, {
      relative: 0,
    });
  });

  it("keeps the RSI's NaN warm-up and adds the lookback to it", () => {
    const out = rsiSlope(new Float64Array([nan, nan, 40, 45, 47]), 2);
    expectSeriesClose(out, [nan, nan, nan, nan, 7], { relative: 0 });
  });

  it('defaults to a lookback of 1', () => {
    expectSeriesClose(rsiSlope(new Float64Array([1, 4])), [nan, 3], { relative: 0 });
  });
});

describe('RsiSlopeBank', () => {
  it('is ready once both RSI values are defined', () => {
    const bank = new RsiSlopeBank(1, 2);
    for (const value of [nan, nan, 40, 45]) {
      bank.update([value]);
      expect(bank.isReady(0)).toBe(false);
    }
    bank.update([47]);
    expect(bank.isReady(0)).toBe(true);
    expect(bank.values[0]).toBe(7);
  });
});
