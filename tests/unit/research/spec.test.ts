import { describe, expect, it } from 'vitest';
import { combinations, configFor, parseSpec } from '../../../shared/research/spec.js';

const grid = {
  'strategies.rsi-mean-reversion.oversold': [25, 30],
  'sizing.stopAtrMultiple': [2, 2.5, 3],
};

describe('research spec', () => {
  it('fills defaults: the whole data, the default config, one combination', () => {
    const spec = parseSpec({});
    expect(spec).toMatchObject({ data: 'data', objective: 'sharpe', seed: 1, grid: {} });
    expect(combinations(spec)).toEqual([{ index: 0, params: {} }]);
  });

  it.each([
    [{ objective: 'alpha-ish' }, /objective: /],
    [{ period: { from: '2020-13-01' } }, /period\.from: /],
    [
      { period: { from: '2021-01-01', to: '2020-01-01' } },
      /period\.from: from must not be after to/,
    ],
    [{ grid: { 'sizing.stopAtrMultiple': [] } }, /grid\.sizing\.stopAtrMultiple: /],
    [{ grid: { 'sizing..x': [1] } }, /grid\.sizing\.\.x: /],
    [
      { walkForward: { trainMonths: 12, testMonths: 6, stepMonths: 3 } },
      /walkForward\.stepMonths: /,
    ],
    [{ walkForward: { trainMonths: 12, testMonths: 6 } }, /walkForward\.stepMonths: /],
    [{ seeds: 3 }, /\(root\): .*seeds/],
    // mulberry32 keeps 32 bits: 2^32 + 1 would draw what 1 draws
    [{ seed: 2 ** 32 + 1 }, /seed: /],
    [
      { config: { sizing: { riskPerTrade: 2 } } },
      /s\.json: config is invalid:\n {2}sizing\.riskPerTrade: /,
    ],
  ])('a bad spec fails naming the field: %j', (input, message) => {
    expect(() => parseSpec(input, 's.json')).toThrow(message);
  });

  it('fails naming the combination and config path a grid value breaks', () => {
    const bad = { grid: { 'sizing.stopAtrMultiple': [2, -1] } };
    expect(() => parseSpec(bad, 's.json')).toThrow(
      /grid combination sizing\.stopAtrMultiple=-1 is invalid:\n {2}sizing\.stopAtrMultiple: /,
    );
    const typo = { grid: { 'sizing.stopAtrMultipel': [2] } };
    expect(() => parseSpec(typo, 's.json')).toThrow(/stopAtrMultipel/);
  });

  it('orders combinations with the first path varying slowest', () => {
    const spec = parseSpec({ grid });
    expect(combinations(spec).map((c) => Object.values(c.params))).toEqual([
      [25, 2],
      [25, 2.5],
      [25, 3],
      [30, 2],
      [30, 2.5],
      [30, 3],
    ]);
  });

  it('sets grid values on top of the overrides, leaving their siblings', () => {
    const spec = parseSpec({ config: { sizing: { riskPerTrade: 0.02 } }, grid });
    const config = configFor(spec, combinations(spec)[4]!.params);
    expect(config.sizing).toMatchObject({ riskPerTrade: 0.02, stopAtrMultiple: 2.5 });
    expect(config.strategies['rsi-mean-reversion'].oversold).toBe(30);
    expect(spec.config).toEqual({ sizing: { riskPerTrade: 0.02 } });
  });

  it('draws a sample of the grid under the seed, the same every time', () => {
    const pick = (seed: number) =>
      combinations(parseSpec({ grid, sample: 3, seed })).map((c) => c.index);
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).toHaveLength(3);
    expect(new Set([pick(1), pick(2), pick(3), pick(4)].map(String)).size).toBeGreaterThan(1);
    expect(pick(7)).toEqual([...pick(7)].sort((a, b) => a - b));
  });
});
