import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataFolder } from '../../../shared/adapters/data-folder.js';
import { runBacktest } from '../../../shared/backtest/engine.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { historyThrough, type MarketHistory } from '../../../shared/domain/market/history.js';
import { lookAhead, strategyDecisions } from '../../../shared/research/look-ahead.js';

// Tight on cash: 30 positions of up to half the equity each, so a gap up at the next open leaves
// an order the cash no longer pays for, and the venue refuses it
const config = parseConfig({
  regime: { maxHeat: { low: 1, normal: 1, high: 1 } },
  risk: { maxPositions: 30 },
  sizing: { riskPerTrade: 0.05, maxPositionFraction: 0.5 },
});
const rsi = {
  ...config,
  strategies: { ...config.strategies, enabled: ['rsi-mean-reversion' as const] },
};

let history: MarketHistory;
beforeAll(async () => {
  const shipped = await loadDataFolder('data', { benchmark: 'none' });
  history = historyThrough(shipped, shipped.dates.indexOf('2018-06-29'));
});

describe('the look-ahead check on the shipped data', () => {
  it('does not take a refusal at the next open for a decision that changed', async () => {
    const run = await runBacktest(history, rsi, { from: '2018-01-01' });
    const refused = run.orders.find((order) => order.status === 'rejected');
    // The venue's answer is in orders.csv, after the decision: the cut data has no next open
    expect(refused?.reason).toContain('(rejected: insufficient cash at the open)');
    const day = history.dates.indexOf(refused!.decisionDate);

    const decide = strategyDecisions(config, 'rsi-mean-reversion', '2018-01-01');
    const result = await lookAhead(history, decide, { first: day, last: day + 1, count: 1 });
    expect(result.cuts).toEqual([refused!.decisionDate]);
    expect(result.firstDifference).toBeNull();
  });
});
