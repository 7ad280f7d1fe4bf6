import { describe, expect, it } from 'vitest';
import { sma, VolumeRatioBank, volumeRatio } from '../../../../shared/domain/indicators/index.js';
import { aSymbol, expectSeriesClose } from './support.js';

describe('volumeRatio', () => {
  it("divides by an average that includes today's volume", () => {
    const out = volumeRatio(new Float64Array([10, 20, 30, 40]), 2);
    expectSeriesClose(out, [Number.NaN, 20 / 15, 30 / 25, 40 / 35], { relative: 1e-15 });
  });

  it('is 1 on constant volume', () => {
    const out = volumeRatio(new Float64Array(30).fill(1234), 20);
    expect(out.subarray(19).every((x) => x === 1)).toBe(true);
  });

  it('is NaN where the window has no volume at all', () => {
    const out = volumeRatio(new Float64Array([0, 0, 0, 5]), 3);
    expectSeriesClose(out, [Number.NaN, Number.NaN, Number.NaN, 5 / (5 / 3)], { relative: 1e-15 });
  });

  it('is volume over sma(volume), bit for bit', () => {
    const { volume } = aSymbol(1000, 14);
    const average = sma(volume, 20);
    expectSeriesClose(
      volumeRatio(volume),
      volume.map((v, t) => v / average[t]!),
      { relative: 0 },
    );
  });

  it('banks the same ratio', () => {
    const bank = new VolumeRatioBank(1, 2);
    for (const volume of [10, 20, 30]) bank.update([volume]);
    expect(bank.values[0]).toBe(30 / 25);
  });
});
