import { describe, expect, it } from 'vitest';
import {
  atr,
  bollinger,
  ema,
  returns,
  rollingCorrelation,
  rollingStd,
  rsi,
  sma,
  volumeRatio,
} from '../../../../shared/domain/indicators/index.js';
import { randomWalk } from './support.js';

// What every batch function shares: argument checks, output length, and the NaN warm-up prefix

const series = randomWalk(30, 1);
const other = randomWalk(30, 2);

const withPeriod = [
  { name: 'sma', run: (p: number) => sma(series, p) },
  { name: 'ema', run: (p: number) => ema(series, p) },
  { name: 'rsi', run: (p: number) => rsi(series, p) },
  { name: 'atr', run: (p: number) => atr(series, series, series, p) },
  { name: 'bollinger', run: (p: number) => bollinger(series, p).middle },
  { name: 'rollingStd', run: (p: number) => rollingStd(series, p) },
  { name: 'volumeRatio', run: (p: number) => volumeRatio(series, p) },
  { name: 'rollingCorrelation', run: (p: number) => rollingCorrelation(series, other, p) },
];

describe.each(withPeriod)('$name', ({ run }) => {
  it.each([0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses period %s', (period) => {
    expect(() => run(period)).toThrow(RangeError);
    expect(() => run(period)).toThrow(/^period must be a positive integer/);
  });

  it('returns all NaN when the period is longer than the series', () => {
    const out = run(31);
    expect(out).toHaveLength(30);
    expect(out.every(Number.isNaN)).toBe(true);
  });
});

describe('empty input', () => {
  it.each([
    { name: 'sma', out: () => sma(new Float64Array(0), 3) },
    { name: 'rsi', out: () => rsi(new Float64Array(0)) },
    { name: 'returns', out: () => returns(new Float64Array(0)) },
  ])('$name gives an empty series', ({ out }) => {
    expect(out()).toHaveLength(0);
  });
});

describe('warm-up prefix', () => {
  it.each([
    { name: 'sma(5)', out: () => sma(series, 5), prefix: 4 },
    { name: 'ema(5)', out: () => ema(series, 5), prefix: 4 },
    { name: 'rsi(5)', out: () => rsi(series, 5), prefix: 5 },
    { name: 'atr(5)', out: () => atr(series, series, series, 5), prefix: 5 },
    { name: 'bollinger(5).upper', out: () => bollinger(series, 5).upper, prefix: 4 },
    { name: 'bollinger(5).lower', out: () => bollinger(series, 5).lower, prefix: 4 },
    { name: 'rollingStd(5)', out: () => rollingStd(series, 5), prefix: 4 },
    { name: 'returns', out: () => returns(series), prefix: 1 },
    { name: 'volumeRatio(5)', out: () => volumeRatio(series, 5), prefix: 4 },
    { name: 'rollingCorrelation(5)', out: () => rollingCorrelation(series, other, 5), prefix: 4 },
  ])('$name is NaN for the first $prefix bars, then defined', ({ out, prefix }) => {
    const values = out();
    expect(values).toHaveLength(30);
    for (let t = 0; t < 30; t++) expect(Number.isNaN(values[t]!)).toBe(t < prefix);
  });
});

describe('mismatched lengths', () => {
  const short = series.subarray(0, 29);

  it.each([
    { name: 'atr low', run: () => atr(series, short, series), argument: 'low' },
    { name: 'atr close', run: () => atr(series, series, short), argument: 'close' },
    {
      name: 'rollingCorrelation b',
      run: () => rollingCorrelation(series, short, 5),
      argument: 'b',
    },
  ])('$name throws a RangeError naming $argument', ({ run, argument }) => {
    expect(run).toThrow(RangeError);
    expect(run).toThrow(new RegExp(`^${argument} has length 29, expected 30`));
  });

  it('refuses non-finite stdDevs', () => {
    expect(() => bollinger(series, 5, Number.NaN)).toThrow(/^stdDevs must be a finite number/);
  });
});
