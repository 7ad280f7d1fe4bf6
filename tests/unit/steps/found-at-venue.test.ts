import { describe, expect, it } from 'vitest';
import type { Order, OrderStatus } from '../../../shared/ports/index.js';
import type { OrderRecord } from '../../../shared/steps/documents.js';
import { foundAtVenue, journalOrder } from '../../../shared/steps/order-journal.js';
import { generateMarket } from '../../support/market-generator.js';
import { delegate, wire } from '../../support/step-wiring.js';

const id = '2023-06-15-S000-buy-entry';
const record: OrderRecord = {
  clientOrderId: id,
  decisionDate: '2023-06-15',
  symbol: 'S000',
  side: 'buy',
  qty: 10,
  intent: 'entry',
  strategy: 'rsi-mean-reversion',
  reason: 'oversold',
  ordinal: 0,
  riskRejected: false,
  stopPrice: 90,
  targetPrice: null,
  venue: null,
};
const answer = (status: OrderStatus, filledQty = 0): Order => ({
  clientOrderId: id,
  symbol: 'S000',
  side: 'buy',
  qty: 10,
  type: 'market',
  intent: 'entry',
  timeInForce: 'gtc',
  status,
  submittedAt: '2023-06-15T20:20:00.000Z',
  filledQty,
  filledAvgPrice: filledQty > 0 ? 100 : null,
  filledDate: filledQty > 0 ? '2023-06-16' : null,
  commission: 0,
  rejectReason: status === 'rejected' ? 'insufficient buying power' : null,
});

/** A store holding `journalled` (if any) and a venue that answers `atVenue` for the entry. */
async function lookUp(journalled: OrderRecord | undefined, atVenue: Order | undefined) {
  const { deps, store } = wire(generateMarket({ symbols: 1, days: 5, seed: 3 }));
  if (journalled) await journalOrder(store, journalled);
  const broker = { ...delegate(deps.broker), getOrder: async () => atVenue };
  return foundAtVenue(store, broker, id);
}

describe('foundAtVenue', () => {
  it('finds an entry the journal or the venue says is working or has filled', async () => {
    expect((await lookUp(record, answer('open')))?.answer.status).toBe('open');
    expect((await lookUp({ ...record, venue: answer('filled', 10) }, undefined))?.answer).toEqual(
      answer('filled', 10),
    );
    expect((await lookUp(record, answer('canceled', 4)))?.answer.filledQty).toBe(4);
  });

  it('finds nothing for an entry never journalled, never sent, refused, or ended unfilled', async () => {
    // Journalled before it is sent: the venue's word on an id without a record is not the bot's
    expect(await lookUp(undefined, answer('open'))).toBeUndefined();
    expect(await lookUp(record, undefined)).toBeUndefined();
    expect(await lookUp({ ...record, venue: answer('rejected') }, answer('open'))).toBeUndefined();
    expect(await lookUp(record, answer('canceled'))).toBeUndefined();
    expect(await lookUp(record, answer('expired'))).toBeUndefined();
  });
});
