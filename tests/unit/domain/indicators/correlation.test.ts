import { describe, expect, it } from 'vitest';
import {
  correlation,
  returns,
  rollingCorrelation,
} from '../../../../shared/domain/indicators/index.js';
import { mulberry32 } from '../../../support/random.js';
import { expectSeriesClose, randomWalk } from './support.js';

const f64 = (values: number[]) => Float64Array.from(values);

// Two random walks that share part of their steps, so their correlation is clearly positive
function correlatedWalks(length: number, seed: number, start: number, step: number) {
  const random = mulberry32(seed);
  const a = new Float64Array(length);
  const b = new Float64Array(length);
  let x = start;
  let y = start;
  for (let t = 0; t < length; t++) {
    const common = random() - 0.5;
    x += (common + random() - 0.5) * step;
    y += (common + random() - 0.5) * step;
    a[t] = x;
    b[t] = y;
  }
  return { a, b };
}

describe('correlation', () => {
  it.each([
    { name: 'a worked example', a: [1, 2, 3, 4, 5], b: [2, 4, 5, 4, 5], r: 6 / Math.sqrt(60) },
    { name: 'a line', a: [1, 2, 3, 4], b: [3, 5, 7, 9], r: 1 },
    { name: 'a falling line', a: [1, 2, 3, 4], b: [-1, -2, -3, -4], r: -1 },
    { name: 'a symmetric bowl', a: [-2, -1, 0, 1, 2], b: [4, 1, 0, 1, 4], r: 0 },
  ])('of $name is $r', ({ a, b, r }) => {
    expect(correlation(f64(a), f64(b))).toBeCloseTo(r, 14);
  });

  it.each([
    { name: 'a constant first series', a: [1000.1, 1000.1, 1000.1], b: [1, 2, 3] },
    { name: 'a constant second series', a: [1, 2, 3], b: [0.3, 0.3, 0.3] },
    { name: 'a single pair', a: [1], b: [2] },
    { name: 'empty series', a: [], b: [] },
  ])('is NaN for $name', ({ a, b }) => {
    expect(correlation(f64(a), f64(b))).toBeNaN();
  });

  it('uses only the window from..to (to excluded)', () => {
    const a = f64([9, 1, 2, 3, 4, -7]);
    const b = f64([-5, 3, 5, 7, 9, 100]);
    expect(correlation(a, b, 1, 5)).toBeCloseTo(1, 14);
  });

  it('stays within [-1, 1] on perfectly correlated price levels', () => {
    const a = randomWalk(60, 3, 1000, 0.01);
    const b = a.map((x) => 3 * x + 7);
    const r = correlation(a, b);
    expect(r).toBeLessThanOrEqual(1);
    expect(r).toBeCloseTo(1, 12);
  });

  it.each([
    {
      name: 'b of another length',
      run: () => correlation(f64([1, 2]), f64([1])),
      pattern: /^b has length 1/,
    },
    {
      name: 'from below 0',
      run: () => correlation(f64([1, 2]), f64([1, 2]), -1),
      pattern: /^from/,
    },
    {
      name: 'to past the end',
      run: () => correlation(f64([1, 2]), f64([1, 2]), 0, 3),
      pattern: /^to/,
    },
    {
      name: 'to before from',
      run: () => correlation(f64([1, 2]), f64([1, 2]), 2, 1),
      pattern: /^to/,
    },
  ])('refuses $name with a RangeError', ({ run, pattern }) => {
    expect(run).toThrow(RangeError);
    expect(run).toThrow(pattern);
  });
});

describe('rollingCorrelation', () => {
  it.each([
    {
      name: 'returns',
      walks: () => {
        const { a, b } = correlatedWalks(3000, 1, 100, 2);
        return { a: returns(a).subarray(1), b: returns(b).subarray(1) };
      },
      period: 20,
    },
    {
      name: 'price levels near 1000 with small moves',
      walks: () => correlatedWalks(3000, 2, 1000, 0.01),
      period: 30,
    },
    { name: 'price levels near 1e6', walks: () => correlatedWalks(3000, 3, 1e6, 1), period: 7 },
  ])('matches the exact two-pass window by window on $name', ({ walks, period }) => {
    const { a, b } = walks();
    const expected = Array.from(a, (_, t) =>
      t < period - 1 ? Number.NaN : correlation(a, b, t - period + 1, t + 1),
    );
    expectSeriesClose(rollingCorrelation(a, b, period), expected, { absolute: 1e-12 });
  });

  it('is NaN exactly while one side is flat for a whole window', () => {
    const { a, b } = correlatedWalks(40, 4, 100, 1);
    b.fill(b[14]!, 15, 30); // a halted price: b[14..29] all equal
    const out = rollingCorrelation(a, b, 5);
    for (let t = 4; t < 40; t++) expect(Number.isNaN(out[t]!)).toBe(t >= 18 && t <= 29);
  });

  it('is NaN everywhere with period 1, where every window is constant', () => {
    const { a, b } = correlatedWalks(10, 5, 100, 1);
    expect(rollingCorrelation(a, b, 1).every(Number.isNaN)).toBe(true);
  });

  it('is 1 and -1 on lines', () => {
    const a = randomWalk(100, 6);
    expect(
      rollingCorrelation(
        a,
        a.map((x) => 2 * x + 1),
        10,
      )
        .subarray(9)
        .every((r) => Math.abs(r - 1) < 1e-12),
    ).toBe(true);
    expect(
      rollingCorrelation(
        a,
        a.map((x) => -x),
        10,
      )
        .subarray(9)
        .every((r) => Math.abs(r + 1) < 1e-12),
    ).toBe(true);
  });
});
