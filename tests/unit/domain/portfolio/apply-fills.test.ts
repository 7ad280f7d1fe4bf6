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
  status: 'accepted',
  filledQty: 0,
  filledAvgPrice: null,
  filledDate: null,
});

const waiting: Portfolio = { ...emptyPortfolio(), pending: [entry] };

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

  it('lists a held lot whose stop ended at the broker as unprotected, with its quarantine', () => {
    // Prepare
    const lot: Lot = {
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
    // Act
    const { portfolio, unprotected, quarantined } = applyFills(
      { ...emptyPortfolio(), lots: [lot] },
      new Map([[entry.stopOrderId, { ...liveStop, status: 'canceled' }]]),
      2,
    );
    // Assess
    expect(portfolio.lots).toEqual([lot]);
    expect(unprotected).toEqual([{ lot, quarantine: quarantined[0] }]);
    expect(quarantined[0]?.reason).toMatch(/is canceled but the lot is still open/);
  });
});
