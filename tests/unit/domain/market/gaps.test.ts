import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import { carryForward } from '../../../../shared/domain/market/gaps.js';
import type { DayBars } from '../../../../shared/domain/market/history.js';

const row = (...values: number[]) => Float64Array.from(values);
const day = (missing?: string[]): DayBars => ({
  date: '2023-06-16',
  symbols: ['AAPL', 'MSFT'],
  open: row(Number.NaN, 330),
  high: row(Number.NaN, 335),
  low: row(Number.NaN, 328),
  close: row(Number.NaN, 334),
  volume: row(Number.NaN, 2e7),
  vix: 13.5,
  ...(missing && { missing }),
});

describe('carryForward', () => {
  it("fills a missing symbol's row with its last close and no volume, leaving the rest", () => {
    // Prepare
    const given = day(['AAPL']);
    // Act
    const filled = carryForward(given, row(186.01, 332));
    // Assess
    expect([filled.open[0], filled.high[0], filled.low[0], filled.close[0]]).toEqual([
      186.01, 186.01, 186.01, 186.01,
    ]);
    expect(filled.volume[0]).toBe(0);
    expect([filled.open[1], filled.close[1], filled.volume[1]]).toEqual([330, 334, 2e7]);
    // The source's rows are views elsewhere: never written
    expect(given.close[0]).toBeNaN();
    expect(filled.missing).toBeUndefined();
  });

  it('returns a whole day as it is', () => {
    const whole = day([]);
    expect(carryForward(whole, row(1, 2))).toBe(whole);
  });

  it('refuses a gap with no close before it, and a symbol outside the universe', () => {
    expect(() => carryForward(day(['AAPL']), row(Number.NaN, 332))).toThrow(
      new InvalidInputError('2023-06-16: no bar for AAPL and no earlier close to carry forward'),
    );
    expect(() => carryForward(day(['TSLA']), row(1, 2))).toThrow(/TSLA is not in the universe/);
  });
});
