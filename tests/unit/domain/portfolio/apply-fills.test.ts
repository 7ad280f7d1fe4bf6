import { describe, expect, it } from 'vitest';
import type { Lot } from '../../../../shared/domain/model.js';
import { applyFills } from '../../../../shared/domain/portfolio/apply-fills.js';
import {
  emptyPortfolio,
  type PendingEntry,
  type Portfolio,
} from '../../../../shared/domain/portfolio/portfolio.js';
import type { Order } from '../../../../shared/ports/index.js';

const entry: PendingEntry = {
  intent: 'entry',
  clientOrderId: '2023-06-15-GOOGL-buy-entry',
  decisionDate: '2023-06-15',
  symbol: 'GOOGL',
  qty: 79,
  strategy: 'ma-crossover',
  stopOrderId: '2023-06-15-GOOGL-sell-stop',
  stopPrice: 115,
  targetPrice: null,
};

const anOrder = (overrides: Partial<Order>): Order => ({
  clientOrderId: entry.clientOrderId,
  symbol: 'GOOGL',
  side: 'buy',
  qty: 79,
  type: 'market',
  intent: 'entry',
  timeInForce: 'gtc',
  status: 'filled',
  submittedAt: '2023-06-15T21:00:00.000Z',
  filledQty: 79,
  filledAvgPrice: 124,
  filledDate: '2023-06-16',
  commission: 0,
  rejectReason: null,
  ...overrides,
});

const liveStop = anOrder({
  clientOrderId: entry.stopOrderId,
  side: 'sell',
  type: 'stop',
  intent: 'stop',
  status: 'open',
  filledQty: 0,
  filledAvgPrice: null,
  filledDate: null,
});

const waiting: Portfolio = { ...emptyPortfolio(), pending: [entry] };

/** The lot the entry made, held since its fill. */
const held: Lot = {
  symbol: 'GOOGL',
  strategy: 'ma-crossover',
  qty: 79,
  entryDate: '2023-06-16',
  entrySession: 1,
  entryPrice: 124,
  entryCommission: 0,
  stopPrice: 115,
  targetPrice: null,
  entryOrderId: entry.clientOrderId,
  stopOrderId: entry.stopOrderId,
};

describe('applyFills', () => {
  it('builds the lot from what an entry bought before it was cancelled, and says so', () => {
    // Act
    const { portfolio, filled, unfilled, quarantined } = applyFills(
      waiting,
      new Map([
        [entry.clientOrderId, anOrder({ status: 'canceled', filledQty: 30 })],
        [entry.stopOrderId, { ...liveStop, qty: 30 }],
      ]),
      1,
    );
    // Assess
    expect(portfolio.lots).toEqual([expect.objectContaining({ symbol: 'GOOGL', qty: 30 })]);
    expect(portfolio.pending).toEqual([]);
    expect(filled.map((o) => o.clientOrderId)).toEqual([entry.clientOrderId]);
    expect(unfilled).toEqual([]);
    expect(quarantined).toEqual([
      {
        symbol: 'GOOGL',
        reason: `entry ${entry.clientOrderId} filled 30 of 79 and was then canceled: the lot holds 30`,
      },
    ]);
  });

  it("dates the lot to its fill's session when the run opened a missed one first", () => {
    // Prepare: the run of 06-16 was missed; the one of 06-20 (session 12) opens 06-16 too
    const orders = new Map([
      [entry.clientOrderId, anOrder({ filledDate: '2023-06-16' })],
      [entry.stopOrderId, liveStop],
    ]);
    // Act
    const { portfolio } = applyFills(waiting, orders, 12, ['2023-06-16', '2023-06-20']);
    // Assess: filled on session 11, so the day it is sold on counts its days held as a backtest does
    expect(portfolio.lots).toEqual([
      expect.objectContaining({ entryDate: '2023-06-16', entrySession: 11 }),
    ]);
    expect(applyFills(waiting, orders, 12, ['2023-06-20']).portfolio.lots[0]?.entrySession).toBe(
      12,
    );
  });

  it('an entry cancelled without a fill makes no lot', () => {
    const { portfolio, unfilled, quarantined } = applyFills(
      waiting,
      new Map([[entry.clientOrderId, anOrder({ status: 'canceled', filledQty: 0 })]]),
      1,
    );
    expect(portfolio.lots).toEqual([]);
    expect(unfilled).toHaveLength(1);
    expect(quarantined).toEqual([]);
  });

  it('an entry still open, or with a cancel pending, stays pending and its symbol quarantined', () => {
    for (const status of ['open', 'pending_cancel'] as const) {
      const { portfolio, quarantined } = applyFills(
        waiting,
        new Map([[entry.clientOrderId, anOrder({ status, filledQty: 0 })]]),
        1,
      );
      expect(portfolio.pending).toEqual([entry]);
      expect(portfolio.lots).toEqual([]);
      expect(quarantined).toHaveLength(1);
    }
  });

  it('lists a held lot whose stop ended at the broker for protecting again, with its quarantine', () => {
    // Act
    const { portfolio, reprotect, quarantined } = applyFills(
      { ...emptyPortfolio(), lots: [held] },
      new Map([[entry.stopOrderId, { ...liveStop, status: 'expired' }]]),
      2,
    );
    // Assess
    expect(portfolio.lots).toEqual([held]);
    expect(reprotect).toEqual([{ lot: held, quarantine: quarantined[0], replaces: null }]);
    expect(quarantined[0]?.reason).toMatch(/is expired but the lot is still open/);
  });

  it('a live stop for another quantity than the lot is to be replaced, never counted as protection', () => {
    // Prepare: an entry's leg sized to the 79 ordered, the lot holding the 30 that filled
    const lot = { ...held, qty: 30 };
    const leg = { ...liveStop, qty: 79 };
    // Act
    const { portfolio, reprotect, quarantined } = applyFills(
      { ...emptyPortfolio(), lots: [lot] },
      new Map([[entry.stopOrderId, leg]]),
      2,
    );
    // Assess
    expect(portfolio.lots).toEqual([lot]);
    expect(reprotect).toEqual([{ lot, quarantine: quarantined[0], replaces: leg }]);
    expect(quarantined[0]?.reason).toMatch(/covers 79 shares, the lot holds 30/);
  });

  it('a stop with a cancel pending protects nothing and is not replaced while it holds the shares', () => {
    const { portfolio, reprotect, quarantined } = applyFills(
      { ...emptyPortfolio(), lots: [held] },
      new Map([[entry.stopOrderId, { ...liveStop, status: 'pending_cancel' }]]),
      2,
    );
    expect(portfolio.lots).toEqual([held]);
    expect(reprotect).toEqual([]);
    expect(quarantined[0]?.reason).toMatch(/is being cancelled at the broker/);
  });

  it('an exit that sold part of its shares before it expired closes that much, lot by lot', () => {
    // Prepare: two lots (50 and 29) sold by one exit of 79, which sold 60 and expired
    const first = { ...held, qty: 50, entryCommission: 0.25 };
    const second: Lot = {
      ...held,
      strategy: 'ml-momentum',
      qty: 29,
      entryOrderId: '2023-06-20-GOOGL-buy-entry',
      stopOrderId: '2023-06-20-GOOGL-sell-stop',
      entryCommission: 0.145,
    };
    const exitId = '2023-06-22-GOOGL-sell-exit';
    const exiting: Portfolio = {
      ...emptyPortfolio(),
      lots: [first, second],
      pending: [
        {
          intent: 'exit',
          clientOrderId: exitId,
          decisionDate: '2023-06-22',
          symbol: 'GOOGL',
          qty: 79,
          allocations: [
            { strategy: 'ma-crossover', qty: 50, reason: 'strategy', detail: 'fast below slow' },
            { strategy: 'ml-momentum', qty: 29, reason: 'time', detail: 'held 5 sessions' },
          ],
        },
      ],
    };
    const exit = anOrder({
      clientOrderId: exitId,
      side: 'sell',
      intent: 'exit',
      timeInForce: 'day',
      status: 'expired',
      filledQty: 60,
      filledAvgPrice: 130,
      filledDate: '2023-06-23',
      commission: 0.3,
    });
    const canceledStop = (id: string, qty: number): Order => ({
      ...liveStop,
      clientOrderId: id,
      qty,
      status: 'canceled',
    });
    // Act
    const { portfolio, closedTrades, reprotect, quarantined } = applyFills(
      exiting,
      new Map([
        [exitId, exit],
        [first.stopOrderId, canceledStop(first.stopOrderId, 50)],
        [second.stopOrderId, canceledStop(second.stopOrderId, 29)],
      ]),
      5,
    );
    // Assess: the first lot closed whole, 10 of the second sold, its 19 held and bare
    expect(closedTrades.map((t) => [t.strategy, t.qty, t.exitPrice])).toEqual([
      ['ma-crossover', 50, 130],
      ['ml-momentum', 10, 130],
    ]);
    expect(closedTrades[1]?.costs).toBeCloseTo(0.145 * (10 / 29) + 0.3 * (10 / 60), 12);
    expect(portfolio.pending).toEqual([]);
    expect(portfolio.lots).toEqual([expect.objectContaining({ strategy: 'ml-momentum', qty: 19 })]);
    // The entry commission is shared by quantity between what was sold and what is held
    expect(portfolio.lots[0]?.entryCommission).toBeCloseTo(0.145 * (19 / 29), 12);
    expect(reprotect.map((r) => [r.lot.qty, r.replaces])).toEqual([[19, null]]);
    expect(quarantined.map((q) => q.reason)).toEqual([
      `exit ${exitId} sold 60 of 79 and was then expired: the rest stays held`,
      expect.stringMatching(/is canceled but the lot is still open: it is unprotected/),
    ]);
  });

  it('a stop that sold part of the lot before it ended closes that part; the rest is to be protected', () => {
    const { portfolio, closedTrades, reprotect } = applyFills(
      { ...emptyPortfolio(), lots: [held] },
      new Map([
        [
          entry.stopOrderId,
          {
            ...liveStop,
            status: 'canceled',
            filledQty: 40,
            filledAvgPrice: 114.5,
            filledDate: '2023-06-21',
          },
        ],
      ]),
      3,
    );
    expect(closedTrades.map((t) => [t.qty, t.exitPrice, t.exitReason])).toEqual([
      [40, 114.5, 'stop'],
    ]);
    expect(portfolio.lots).toEqual([expect.objectContaining({ qty: 39 })]);
    expect(reprotect).toEqual([
      expect.objectContaining({ lot: expect.objectContaining({ qty: 39 }), replaces: null }),
    ]);
  });

  it('a stop that filled part and still works is applied once it ends: the lot stays whole', () => {
    const { portfolio, closedTrades, reprotect, quarantined } = applyFills(
      { ...emptyPortfolio(), lots: [held] },
      new Map([[entry.stopOrderId, { ...liveStop, filledQty: 40, filledAvgPrice: 114.5 }]]),
      3,
    );
    expect(closedTrades).toEqual([]);
    expect(portfolio.lots).toEqual([held]);
    expect(reprotect).toEqual([]);
    expect(quarantined[0]?.reason).toMatch(/sold 40 of 79 and is still open/);
  });
});
