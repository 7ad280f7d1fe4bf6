import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/domain/config.js';
import { cutPoints, lookAhead, strategyDecisions } from '../../../shared/research/look-ahead.js';
import { generateMarket } from '../../support/market-generator.js';
import { honestStrategy, leakyStrategy } from './fixtures/leaky-strategy.js';

const history = generateMarket({ symbols: 5, days: 400, seed: 3, start: '2020-01-02' });
const cuts = cutPoints(100, 399, 4);

describe('the look-ahead check', () => {
  it('spreads the cut points over the period', () => {
    expect(cuts).toEqual([159, 219, 279, 339]);
  });

  it('catches the leaky fixture at the first cut, naming the decision that changed', async () => {
    const result = await lookAhead(history, leakyStrategy, cuts);
    const cut = history.dates[159]!;
    expect(result.firstDifference?.cut).toBe(cut);
    // The decision at the cut's close read the next bar: it is gone when the data ends at the cut
    expect(result.firstDifference?.full?.date ?? result.firstDifference?.truncated?.date).toBe(cut);
  });

  it('passes a rule that reads only bars up to the decision', async () => {
    expect((await lookAhead(history, honestStrategy, cuts)).firstDifference).toBeNull();
  });

  it('passes our rsi-mean-reversion strategy through the whole pipeline', async () => {
    const config = parseConfig({ strategies: { 'rsi-mean-reversion': { oversold: 40 } } });
    const decide = strategyDecisions(config, 'rsi-mean-reversion', history.dates[100]);
    const result = await lookAhead(history, decide, cuts);
    expect(result.decisions).toBeGreaterThan(10);
    expect(result.firstDifference).toBeNull();
  });
});
