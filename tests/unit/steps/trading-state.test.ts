import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.js';
import { parseConfig } from '../../../shared/domain/config.js';
import {
  emptyPortfolio,
  haltTrading,
  resumeTrading,
} from '../../../shared/domain/portfolio/portfolio.js';
import { generateMarket } from '../../support/market-generator.js';

describe('trading states in a run', () => {
  it('halts for good once the drawdown threshold is reached, and sends no entry after', async () => {
    const market = generateMarket({ symbols: 8, days: 500, seed: 3 });
    const config = parseConfig({
      strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover', 'volatility-breakout'] },
      risk: { maxDrawdownHalt: 0.005 },
    });
    const run = await runBacktest(market, config, { from: market.dates[60]! });
    const firstHalt = run.days.findIndex((d) => d.tradingState === 'HALTED');
    expect(firstHalt).toBeGreaterThan(0);
    expect(run.days.slice(firstHalt).every((d) => d.tradingState === 'HALTED')).toBe(true);
    const haltedDates = new Set(run.days.slice(firstHalt).map((d) => d.date));
    const entries = run.orders.filter(
      (o) => o.side === 'buy' && o.status !== 'risk-rejected' && haltedDates.has(o.decisionDate),
    );
    expect(entries).toEqual([]);
    expect(
      run.orders.some(
        (o) => haltedDates.has(o.decisionDate) && o.reason.startsWith('TRADING_STATE'),
      ),
    ).toBe(true);
  });

  it('keeps HALTED in the portfolio until a person resumes', () => {
    const halted = haltTrading(emptyPortfolio());
    expect(halted.tradingState).toBe('HALTED');
    expect(resumeTrading(halted).tradingState).toBe('ACTIVE');
  });
});
