import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import {
  correlation,
  ReturnWindowBank,
  returns,
} from '../../../../shared/domain/indicators/index.js';
import { throughJson } from '../../../fixtures/builders.js';
import { aSymbol, rowAt } from './support.js';

const LENGTH = 120;
const PERIOD = 20;
const closes = [1, 2, 3, 4].map((seed) => aSymbol(LENGTH, seed).close);
const allReturns = closes.map(returns);

function feed(bank: ReturnWindowBank, from: number, to: number): void {
  for (let t = from; t < to; t++) bank.update(rowAt(closes, t));
}

describe('ReturnWindowBank', () => {
  it('holds each series’ last period returns, oldest first, as `returns` computes them', () => {
    const bank = new ReturnWindowBank(closes.length, PERIOD);
    const out = new Float64Array(PERIOD);
    for (let t = 0; t < LENGTH; t++) {
      bank.update(rowAt(closes, t));
      for (let i = 0; i < closes.length; i++) {
        const full = t >= PERIOD;
        expect(bank.isReady(i)).toBe(full);
        expect(bank.window(i, out)).toBe(full);
        if (full) expect(out).toEqual(allReturns[i]!.subarray(t - PERIOD + 1, t + 1));
      }
    }
  });

  it('correlates two series exactly as `correlation` on their windows', () => {
    const bank = new ReturnWindowBank(closes.length, PERIOD);
    for (let t = 0; t < LENGTH; t++) {
      bank.update(rowAt(closes, t));
      for (let i = 0; i < closes.length; i++) {
        for (let j = 0; j < closes.length; j++) {
          const r = bank.correlationOf(i, j);
          if (t < PERIOD) {
            expect(r).toBeNaN();
            continue;
          }
          const from = t - PERIOD + 1;
          const a = allReturns[i]!.subarray(from, t + 1);
          const b = allReturns[j]!.subarray(from, t + 1);
          expect(r).toBe(correlation(a, b));
        }
      }
    }
  });

  it('refreshes a series’ cached moments after updates, however long ago it was last compared', () => {
    const bank = new ReturnWindowBank(closes.length, PERIOD);
    const pairs = [
      [0, 1],
      [2, 3],
      [1, 3],
      [3, 0],
      [2, 2],
    ] as const;
    for (let t = 0; t < LENGTH; t++) {
      bank.update(rowAt(closes, t));
      // Each pair comes up every few bars, so a series is often compared again after several updates
      const [i, j] = pairs[(t * 7) % pairs.length]!;
      if (t < PERIOD || t % 3 === 0) continue;
      const from = t - PERIOD + 1;
      const expected = correlation(
        allReturns[i]!.subarray(from, t + 1),
        allReturns[j]!.subarray(from, t + 1),
      );
      expect(bank.correlationOf(i, j)).toBe(expected);
      expect(bank.correlationOf(j, i)).toBe(expected);
    }
  });

  it('is NaN with a window of one return, as `correlation` is on one value', () => {
    const bank = new ReturnWindowBank(2, 1);
    for (const close of [100, 101, 99]) bank.update([close, close * 2]);
    expect(bank.isReady(0)).toBe(true);
    expect(bank.correlationOf(0, 1)).toBeNaN();
  });

  it('is 1 against itself and NaN against a halted price', () => {
    const bank = new ReturnWindowBank(2, 3);
    for (const close of [100, 101, 99, 102]) bank.update([close, 50]);
    expect(bank.correlationOf(0, 0)).toBeCloseTo(1, 14);
    expect(bank.correlationOf(0, 1)).toBeNaN();
  });

  it('leaves `out` untouched until the window is full', () => {
    const bank = new ReturnWindowBank(1, 3);
    const out = new Float64Array([7, 7, 7]);
    for (const close of [100, 101, 102]) bank.update([close]);
    expect(bank.window(0, out)).toBe(false);
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });

  it.each([5, 20, 21, 57])('continues exactly after a JSON round trip at bar %i', (at) => {
    const straight = new ReturnWindowBank(closes.length, PERIOD);
    feed(straight, 0, LENGTH);
    const first = new ReturnWindowBank(closes.length, PERIOD);
    feed(first, 0, at);
    const state = throughJson(first.toJSON());
    expect(JSON.stringify(state)).not.toMatch(/NaN/);
    const resumed = ReturnWindowBank.fromJSON(state);
    feed(resumed, at, LENGTH);
    const got = new Float64Array(PERIOD);
    const want = new Float64Array(PERIOD);
    for (let i = 0; i < closes.length; i++) {
      resumed.window(i, got);
      straight.window(i, want);
      expect(got).toEqual(want);
      expect(resumed.correlationOf(i, 0)).toBe(straight.correlationOf(i, 0));
    }
  });

  it.each([
    {
      name: 'a short out',
      run: (bank: ReturnWindowBank) => bank.window(0, new Float64Array(2)),
      pattern: /^out has length 2/,
    },
    {
      name: 'a series past n',
      run: (bank: ReturnWindowBank) => bank.window(2, new Float64Array(3)),
      pattern: /series 2/,
    },
    {
      name: 'a second series past n',
      run: (bank: ReturnWindowBank) => bank.correlationOf(0, 2),
      pattern: /series 2/,
    },
    {
      name: 'a row of the wrong length',
      run: (bank: ReturnWindowBank) => bank.update([1]),
      pattern: /close has length 1/,
    },
  ])('refuses $name with a RangeError', ({ run, pattern }) => {
    const bank = new ReturnWindowBank(2, 3);
    expect(() => run(bank)).toThrow(RangeError);
    expect(() => run(bank)).toThrow(pattern);
  });

  it('refuses a NaN close and a state of another shape', () => {
    const bank = new ReturnWindowBank(2, 3);
    expect(() => bank.update([1, Number.NaN])).toThrow(InvalidInputError);
    const state = bank.toJSON();
    expect(() => ReturnWindowBank.fromJSON({ ...state, window: [1, 2] })).toThrow(
      InvalidInputError,
    );
    expect(() => ReturnWindowBank.fromJSON({ ...state, n: 3 })).toThrow(InvalidInputError);
  });
});
