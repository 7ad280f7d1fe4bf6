import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/domain/config.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import {
  cutPoints,
  type Decision,
  type DecisionSource,
  decisionCuts,
  lookAhead,
  strategyDecisions,
} from '../../../shared/research/look-ahead.js';
import { generateMarket } from '../../support/market-generator.js';
import { honestStrategy, leakyStrategy } from './fixtures/leaky-strategy.js';

const history = generateMarket({ symbols: 5, days: 400, seed: 3, start: '2020-01-02' });
const plan = { first: 100, last: 399, count: 4 };

/** The leaky fixture's rule, deciding only on every 37th day: never on an evenly spread cut. */
const rareLeak: DecisionSource = async (h: MarketHistory) =>
  (await leakyStrategy(h)).filter((x: Decision) => h.dates.indexOf(x.date) % 37 === 5);

describe('the look-ahead check', () => {
  it('spreads cut points over the period', () => {
    expect(cutPoints(100, 399, 4)).toEqual([159, 219, 279, 339]);
  });

  it('cuts on days with decisions too, spread over them', () => {
    const on = (days: number[]) =>
      days.map(
        (d): Decision => ({
          date: history.dates[d]!,
          symbol: 'S000',
          side: 'buy',
          qty: 1,
          strategy: 'x',
          reason: 'x',
        }),
      );
    // Days outside [first, last) are not cut on: the last day's cut is the full data
    expect(decisionCuts(history, on([50, 120, 130, 130, 300, 399]), 100, 399, 4)).toEqual([
      120, 130, 300,
    ]);
    expect(
      decisionCuts(history, on([110, 120, 130, 140, 150, 160, 170, 180]), 100, 399, 4),
    ).toEqual([120, 140, 160, 180]);
  });

  it('catches the leaky fixture at the first cut, naming the decision that changed', async () => {
    const result = await lookAhead(history, leakyStrategy, plan);
    const cut = result.cuts[0]!;
    expect(result.firstDifference?.cut).toBe(cut);
    // The decision at the cut's close read the next bar: it is gone when the data ends at the cut
    expect(result.firstDifference?.full?.date ?? result.firstDifference?.truncated?.date).toBe(cut);
  });

  it('catches a leak in a strategy that decides on no evenly spread cut day', async () => {
    const decided = new Set((await rareLeak(history)).map((x) => x.date));
    expect(cutPoints(100, 399, 4).some((d) => decided.has(history.dates[d]!))).toBe(false);

    const result = await lookAhead(history, rareLeak, plan);
    expect(result.firstDifference).not.toBeNull();
    expect(decided.has(result.firstDifference!.cut)).toBe(true);
  });

  it('passes a rule that reads only bars up to the decision', async () => {
    expect((await lookAhead(history, honestStrategy, plan)).firstDifference).toBeNull();
  });

  it('passes our rsi-mean-reversion strategy through the whole pipeline', async () => {
    const config = parseConfig({ strategies: { 'rsi-mean-reversion': { oversold: 40 } } });
    const decide = strategyDecisions(config, 'rsi-mean-reversion', history.dates[100]);
    const result = await lookAhead(history, decide, plan);
    expect(result.decisions).toBeGreaterThan(10);
    expect(result.cuts.length).toBeGreaterThan(4);
    expect(result.firstDifference).toBeNull();
  });
});
