import { describe, expect, it } from 'vitest';
import { tradeStats } from '../../../../shared/domain/metrics/trade-stats.js';
import type { ClosedTrade } from '../../../../shared/domain/model.js';

// Spread rather than annotated, so the fixture fits ClosedTrade with or without entrySession,
// which model.ts is gaining while this is written
const BASE_TRADE = {
  symbol: 'AAA',
  strategy: 'ma-crossover',
  entryDate: '2024-01-02',
  entrySession: 1,
  entryPrice: 100,
  exitDate: '2024-01-10',
  exitPrice: 110,
  qty: 10,
  pnl: 100,
  costs: 0,
  exitReason: 'strategy',
} as const;

const aTrade = (overrides: Partial<ClosedTrade> = {}): ClosedTrade => ({
  ...BASE_TRADE,
  ...overrides,
});

describe('tradeStats', () => {
  it('summarises a small table of trades', () => {
    const trades = [
      aTrade({ qty: 10, entryPrice: 100, pnl: 100 }), // +100 on 1000 notional = +0.10
      aTrade({ qty: 10, entryPrice: 50, pnl: -50 }), // -50 on 500 = -0.10
      aTrade({ qty: 20, entryPrice: 100, pnl: 300 }), // +300 on 2000 = +0.15
      aTrade({ qty: 5, entryPrice: 40, pnl: -10 }), // -10 on 200 = -0.05
      aTrade({ qty: 1, entryPrice: 100, pnl: 0 }), // Break-even: neither a win nor a loss
    ];
    const stats = tradeStats(trades);
    expect(stats.trades).toBe(5);
    expect(stats.winRate).toBeCloseTo(0.4, 12); // 2 wins / 5 trades
    expect(stats.profitFactor).toBeCloseTo(400 / 60, 12); // (100 + 300) / (50 + 10)
    expect(stats.avgWin).toBeCloseTo(200, 12); // (100 + 300) / 2
    expect(stats.avgLoss).toBeCloseTo(-30, 12); // (-50 - 10) / 2
    expect(stats.avgWinReturn).toBeCloseTo(0.125, 12); // (0.10 + 0.15) / 2
    expect(stats.avgLossReturn).toBeCloseTo(-0.075, 12); // (-0.10 - 0.05) / 2
  });

  it.each([
    {
      name: 'no trades',
      pnls: [],
      expected: {
        trades: 0,
        winRate: null,
        profitFactor: null,
        avgWin: null,
        avgLoss: null,
        avgWinReturn: null,
        avgLossReturn: null,
      },
    },
    {
      // 1000 notional each: +0.05 and +0.15; no losses, so no profit factor
      name: 'only winners',
      pnls: [50, 150],
      expected: {
        trades: 2,
        winRate: 1,
        profitFactor: null,
        avgWin: 100,
        avgLoss: null,
        avgWinReturn: 0.1,
        avgLossReturn: null,
      },
    },
    {
      // Gross profit 0 / gross loss 40
      name: 'only losers',
      pnls: [-10, -30],
      expected: {
        trades: 2,
        winRate: 0,
        profitFactor: 0,
        avgWin: null,
        avgLoss: -20,
        avgWinReturn: null,
        avgLossReturn: -0.02,
      },
    },
  ])('$name', ({ pnls, expected }) => {
    const stats = tradeStats(pnls.map((pnl) => aTrade({ qty: 10, entryPrice: 100, pnl })));
    const approximately = Object.entries(expected).map(([key, value]) => [
      key,
      value === null ? null : expect.closeTo(value, 12),
    ]);
    expect(stats).toEqual(Object.fromEntries(approximately));
  });
});
