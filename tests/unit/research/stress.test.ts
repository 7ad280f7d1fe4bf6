import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.js';
import { summarise } from '../../../shared/backtest/summary.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { stressResult } from '../../../shared/research/stress.js';
import { generateMarket } from '../../support/market-generator.js';

const history = generateMarket({ symbols: 4, days: 300, seed: 5, start: '2020-01-02' });

describe('a stress period', () => {
  it('counts the days by state and regime and measures buy-and-hold from the close before', async () => {
    const config = parseConfig({ strategies: { enabled: ['rsi-mean-reversion'] } });
    const from = history.dates[200]!;
    const run = await runBacktest(history, config, { from });
    const result = stressResult('test', history, run, summarise(history, run));

    expect(result).toMatchObject({ name: 'test', from, to: history.dates[299], days: 100 });
    const { ACTIVE, REDUCING, HALTED } = result.daysByState;
    expect(ACTIVE + REDUCING + HALTED).toBe(100);
    expect(result.daysByRegime.low + result.daysByRegime.normal + result.daysByRegime.high).toBe(
      100,
    );
    expect(REDUCING).toBe(run.days.filter((d) => d.tradingState === 'REDUCING').length);
    expect(result.peakHeat).toBe(Math.max(...run.days.map((d) => d.heat)));

    const n = history.symbols.length;
    let held = 0;
    for (let s = 0; s < n; s++) held += history.close[299 * n + s]! / history.close[199 * n + s]!;
    expect(result.buyAndHoldReturn).toBeCloseTo(held / n - 1, 12);
    expect(result.buyAndHoldMaxDrawdown).toBeGreaterThanOrEqual(0);
  });
});
