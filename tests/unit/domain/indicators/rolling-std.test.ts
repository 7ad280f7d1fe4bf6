import { describe, expect, it } from 'vitest';
import { RollingStdBank, rollingStd } from '../../../../shared/domain/indicators/index.js';
import { throughJson } from '../../../fixtures/builders.js';
import { expectSeriesClose, randomWalk, rowAt } from './support.js';

// The naive, exact two-pass population standard deviation of each window
function twoPassStd(values: Float64Array, period: number): number[] {
  return Array.from(values, (_, t) => {
    if (t < period - 1) return Number.NaN;
    let sum = 0;
    for (let k = t - period + 1; k <= t; k++) sum += values[k]!;
    const mean = sum / period;
    let squares = 0;
    for (let k = t - period + 1; k <= t; k++) squares += (values[k]! - mean) ** 2;
    return Math.sqrt(squares / period);
  });
}

describe('rollingStd', () => {
  it.each([
    { values: [2, 4, 4, 4, 5, 5, 7, 9], period: 8, last: 2 }, // the textbook population example
    { values: [1, 2, 3, 4], period: 4, last: Math.sqrt(1.25) },
    { values: [1, 3], period: 2, last: 1 },
  ])('of $values with period $period ends at $last', ({ values, period, last }) => {
    const out = rollingStd(Float64Array.from(values), period);
    expect(out[values.length - 1]).toBeCloseTo(last, 14);
  });

  it('follows a small window exactly', () => {
    const out = rollingStd(new Float64Array([1, 2, 3, 5, 8]), 3);
    const expected = [
      Number.NaN,
      Number.NaN,
      Math.sqrt(2 / 3),
      Math.sqrt(14 / 9),
      Math.sqrt(38 / 9),
    ];
    expectSeriesClose(out, expected, { relative: 1e-14 });
  });

  it.each([
    { name: 'near 1000, moves of ±0.01, period 20', start: 1000, step: 0.01, period: 20 },
    { name: 'near 1000, moves of ±0.5, period 5', start: 1000, step: 0.5, period: 5 },
    { name: 'near 1e6, moves of ±1, period 50', start: 1e6, step: 1, period: 50 },
    { name: 'near 100, moves of ±2, period 14', start: 100, step: 2, period: 14 },
  ])('matches the naive two-pass std on 20k prices $name', ({ start, step, period }) => {
    const values = randomWalk(20_000, 42, start, step);
    expectSeriesClose(rollingStd(values, period), twoPassStd(values, period), {
      relative: 1e-11,
    });
  });

  it.each([2.5, 1000.1, 0.3])('is exactly 0 on the constant series %s', (value) => {
    const out = rollingStd(new Float64Array(50).fill(value), 7);
    expect(out.subarray(6).every((x) => x === 0)).toBe(true);
  });

  it('returns to exactly 0 once the window has gone flat, and leaves 0 when it moves again', () => {
    const values = new Float64Array([
      ...randomWalk(30, 5, 1000.1, 0.3),
      ...Array(20).fill(1000.7),
      1001,
    ]);
    const out = rollingStd(values, 10);
    for (let t = 39; t < 50; t++) expect(out[t]).toBe(0);
    expect(out[50]).toBeGreaterThan(0);
    expect(out[38]).toBeGreaterThan(0);
  });

  it('never goes NaN on near-constant windows, where the variance could round negative', () => {
    const values = Float64Array.from({ length: 5000 }, (_, t) => 1000.1 + ((t * 7919) % 3) * 1e-13);
    const out = rollingStd(values, 4);
    expect(out.subarray(3).every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
  });

  it('is 0 everywhere with period 1', () => {
    expect(rollingStd(randomWalk(30, 6), 1).every((x) => x === 0)).toBe(true);
  });
});

describe('RollingStdBank', () => {
  it('stays exact over a long stream, through the periodic re-derivation', () => {
    const series = [randomWalk(5000, 7, 1000, 0.01), randomWalk(5000, 8, 50, 1)];
    const bank = new RollingStdBank(2, 9);
    const seen = series.map(() => new Float64Array(5000));
    for (let t = 0; t < 5000; t++) {
      bank.update(rowAt(series, t));
      seen[0]![t] = bank.values[0]!;
      seen[1]![t] = bank.values[1]!;
    }
    expectSeriesClose(seen[0]!, twoPassStd(series[0]!, 9), { relative: 1e-9 });
    expectSeriesClose(seen[1]!, twoPassStd(series[1]!, 9), { relative: 1e-9 });
  });

  it('refuses a state without scaledSquares, naming the field', () => {
    const bank = new RollingStdBank(2, 9);
    bank.update([1, 2]);
    const { scaledSquares, ...older } = throughJson(bank.toJSON());
    expect(scaledSquares).toHaveLength(2);
    expect(() => RollingStdBank.fromJSON(older)).toThrow(
      /^RollingStdBank state: scaledSquares: .*expected array/,
    );
  });
});
