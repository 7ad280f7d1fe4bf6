import { describe, expect, it } from 'vitest';
import {
  DayArtifactSchema,
  OrderRecordSchema,
  OrdersArtifactSchema,
} from '../../../shared/steps/documents.js';

/** A journal record as the version before `open` and time in force wrote it. */
const olderRecord = (venue: Record<string, unknown>) => ({
  clientOrderId: venue.clientOrderId,
  decisionDate: '2023-06-15',
  symbol: 'GOOGL',
  side: venue.side,
  qty: 79,
  intent: venue.intent,
  strategy: 'ml-momentum',
  reason: 'P(5-day return > 0) = 0.768',
  ordinal: 0,
  riskRejected: false,
  venue: {
    symbol: 'GOOGL',
    qty: 79,
    submittedAt: '2023-06-15T21:00:00.000Z',
    filledQty: 0,
    filledAvgPrice: null,
    filledDate: null,
    commission: 0,
    rejectReason: null,
    ...venue,
  },
});

describe('documents stored before the port named open orders and time in force', () => {
  it.each([
    {
      kind: 'an OTO entry',
      venue: {
        clientOrderId: '2023-06-15-GOOGL-buy-entry',
        side: 'buy',
        type: 'market',
        intent: 'entry',
        stopLoss: { clientOrderId: '2023-06-15-GOOGL-sell-stop', stopPrice: 119.23 },
        status: 'accepted',
      },
      read: { status: 'open', timeInForce: 'gtc' },
    },
    {
      kind: 'a stop',
      venue: {
        clientOrderId: '2023-06-15-GOOGL-sell-stop',
        side: 'sell',
        type: 'stop',
        stopPrice: 119.23,
        intent: 'stop',
        status: 'accepted',
      },
      read: { status: 'open', timeInForce: 'gtc' },
    },
    {
      kind: 'an exit',
      venue: {
        clientOrderId: '2023-06-23-GOOGL-sell-exit',
        side: 'sell',
        type: 'market',
        intent: 'exit',
        status: 'canceled',
      },
      read: { status: 'canceled', timeInForce: 'day' },
    },
  ])('read $kind as it was sent then', ({ venue, read }) => {
    expect(OrderRecordSchema.parse(olderRecord(venue)).venue).toMatchObject(read);
  });

  it('read artifacts without the refusals and ordinals added since as none', () => {
    expect(
      OrdersArtifactSchema.parse({ sent: [], rejectedAtVenue: 2, nextOrdinal: 3 }).refused,
    ).toEqual([]);
    const day = DayArtifactSchema.parse({
      vix: 15,
      account: { cash: 1, equity: 1 },
      closedTrades: [],
      filled: [],
      unfilled: [],
      warmedUpSessions: 0,
      backfilled: [],
      quarantined: [],
    });
    expect(day.nextOrdinal).toBe(0);
  });
});
