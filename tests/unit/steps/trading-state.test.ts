import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { resumeTrading, setTradingState } from '../../../shared/steps/halt.js';
import { pipeline } from '../../../shared/steps/pipeline.js';
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

  it('keeps a halt day after day until a person resumes: entries refused, exits run', async () => {
    const market = generateMarket({ symbols: 8, days: 500, seed: 3 });
    const config = parseConfig({
      strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover', 'volatility-breakout'] },
    });
    const [haltOn, resumeOn] = [market.dates[400]!, market.dates[440]!];
    const person = { by: 'ops@example.com', reason: 'looking into a fill' };
    // A person halts before the run of one date and resumes before the run of a later one
    const run = await runBacktest(market, config, {
      from: market.dates[60]!,
      steps: (deps) => [
        {
          name: 'a-person',
          run: async (state) => {
            const at = `${state.tradingDate}T14:00:00.000Z`;
            if (state.tradingDate === haltOn) {
              await setTradingState(deps.store, { state: 'HALTED', at, ...person });
            }
            if (state.tradingDate === resumeOn) await resumeTrading(deps.store, { at, ...person });
            return state;
          },
        },
        ...pipeline(deps),
      ],
    });

    const halted = run.days.filter((d) => d.date >= haltOn && d.date < resumeOn);
    expect(halted.length).toBe(40);
    const decided = (date: string, side: 'buy' | 'sell') =>
      run.orders.filter((o) => o.decisionDate === date && o.side === side);
    for (const day of run.days) {
      const sent = decided(day.date, 'buy').filter((o) => o.status !== 'risk-rejected');
      if (day.date >= haltOn && day.date < resumeOn) {
        // Every day of the halt: HALTED by the person, and no entry sent
        expect(day.tradingState, day.date).toBe('HALTED');
        expect(day.tradingStateReason, day.date).toMatch(/^halted by ops@example\.com/);
        expect(sent, day.date).toEqual([]);
        expect(day.entriesSent, day.date).toBe(0);
      } else {
        expect(day.tradingState, day.date).not.toBe('HALTED');
      }
    }
    // The halt refused entries the strategies wanted, on more than one day
    const refusedOn = new Set(
      halted.flatMap((d) =>
        decided(d.date, 'buy')
          .filter((o) => o.status === 'risk-rejected' && o.reason.startsWith('TRADING_STATE'))
          .map((o) => o.decisionDate),
      ),
    );
    expect(refusedOn.size).toBeGreaterThan(1);
    // Exits carried on: the bot sold what it held during the halt, on its own signals
    const exits = halted.flatMap((d) =>
      decided(d.date, 'sell').filter((o) => o.clientOrderId.endsWith('-exit')),
    );
    expect(exits.filter((o) => o.status === 'filled').length).toBeGreaterThan(1);
    expect(halted.some((d) => d.exitsSent > 0)).toBe(true);
    const lotsHeld = (day: (typeof run.days)[number]) =>
      Object.values(day.perStrategy).reduce((sum, s) => sum + s.lots, 0);
    expect(lotsHeld(halted.at(-1)!)).toBeLessThan(lotsHeld(halted[0]!));
    // Resumed: entries are sent again
    const after = run.days.filter((d) => d.date >= resumeOn);
    expect(
      after.some((d) => decided(d.date, 'buy').some((o) => o.status !== 'risk-rejected')),
    ).toBe(true);
  });
});
