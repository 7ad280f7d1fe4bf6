import { describe, expect, it } from 'vitest';
import { RsiBank, rsi } from '../../../../shared/domain/indicators/index.js';
import { expectSeriesClose, randomWalk } from './support.js';

// A straightforward Wilder RSI: mean gain and loss over changes 1..period, then Wilder smoothing,
// and the textbook 100 - 100 / (1 + RS)
function referenceRsi(close: Float64Array, period: number): number[] {
  const out = Array<number>(close.length).fill(Number.NaN);
  if (close.length <= period) return out;
  const gains: number[] = [];
  const losses: number[] = [];
  for (let t = 1; t < close.length; t++) {
    const change = close[t]! - close[t - 1]!;
    gains.push(Math.max(change, 0));
    losses.push(Math.max(-change, 0));
  }
  const value = (gain: number, loss: number) =>
    loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
  let gain = gains.slice(0, period).reduce((a, b) => a + b, 0) / period;
  let loss = losses.slice(0, period).reduce((a, b) => a + b, 0) / period;
  out[period] = value(gain, loss);
  for (let t = period + 1; t < close.length; t++) {
    gain = (gain * (period - 1) + gains[t - 1]!) / period;
    loss = (loss * (period - 1) + losses[t - 1]!) / period;
    out[t] = value(gain, loss);
  }
  return out;
}

// Wilder's worked example as published by StockCharts (RSI 14, values rounded to 2 decimals)
const wilderCloses = new Float64Array([
  44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931,
  46.0328, 45.614, 46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521,
  45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
]);
const wilderRsi = [
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46,
  41.87, 45.46, 37.3, 33.08, 37.77,
];

describe('rsi', () => {
  it('reproduces the published Wilder example', () => {
    const out = rsi(wilderCloses, 14);
    expect(out.subarray(0, 14).every(Number.isNaN)).toBe(true);
    wilderRsi.forEach((expected, k) => {
      expect(out[14 + k]).toBeCloseTo(expected, 2);
    });
  });

  it.each([2, 5, 14, 30])('matches a straightforward implementation with period %i', (period) => {
    const close = randomWalk(600, period, 100, 1);
    expectSeriesClose(rsi(close, period), referenceRsi(close, period), { relative: 1e-12 });
  });

  it.each([
    { name: 'a constant series', close: [5, 5, 5, 5, 5], expected: [50, 50] },
    { name: 'a rising series', close: [1, 2, 3, 4, 5], expected: [100, 100] },
    { name: 'a falling series', close: [5, 4, 3, 2, 1], expected: [0, 0] },
    { name: 'a rise then a flat', close: [1, 2, 3, 3, 3], expected: [100, 100] },
  ])('with period 3 is $expected on $name', ({ close, expected }) => {
    const out = rsi(Float64Array.from(close), 3);
    expectSeriesClose(out, [Number.NaN, Number.NaN, Number.NaN, ...expected], { relative: 0 });
  });

  it('with period 1 is 100 up, 0 down, 50 flat', () => {
    const out = rsi(new Float64Array([1, 2, 1, 1, 3]), 1);
    expectSeriesClose(out, [Number.NaN, 100, 0, 50, 100], { relative: 0 });
  });

  it('defaults to period 14', () => {
    expectSeriesClose(rsi(wilderCloses), rsi(wilderCloses, 14), { relative: 0 });
  });

  it('stays within 0..100', () => {
    const out = rsi(randomWalk(2000, 9, 100, 3), 3);
    expect(out.subarray(3).every((x) => x >= 0 && x <= 100)).toBe(true);
  });
});

describe('RsiBank', () => {
  it('reproduces the published Wilder example for two symbols at once', () => {
    const bank = new RsiBank(2);
    const last = wilderCloses.length - 1;
    for (let t = 0; t <= last; t++) bank.update([wilderCloses[t]!, 100]);
    expect(bank.values[0]).toBeCloseTo(37.77, 2);
    expect(bank.values[1]).toBe(50);
  });
});
