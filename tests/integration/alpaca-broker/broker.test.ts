import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlpacaTestServer,
  alpacaClientFor,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';
import { AlpacaBroker } from '../../../shared/adapters/alpaca/broker.js';
import { BrokerUnavailableError } from '../../../shared/domain/errors.js';
import type { OrderRequest } from '../../../shared/ports/index.js';
import { submitOnce } from '../../../shared/steps/submit-once.js';

// After the close of 2023-06-14, when the daily run sends the next open's entries
let server: AlpacaTestServer;
let broker: AlpacaBroker;
let closes: Map<string, number>;
beforeEach(async () => {
  server = await startAlpacaServer({ date: '2023-06-14', at: '17:00' });
  closes = new Map();
  broker = new AlpacaBroker(alpacaClientFor(server, { timeoutMs: 2_000 }), {
    lastCloses: async () => closes,
    pollMs: 5,
    cancelTimeoutMs: 1_000,
  });
});
afterEach(() => server.close());

const ENTRY = '2023-06-14-MSFT-buy-entry';
const STOP = '2023-06-14-MSFT-sell-stop';
const entry: OrderRequest = {
  clientOrderId: ENTRY,
  symbol: 'MSFT',
  side: 'buy',
  qty: 5,
  type: 'market',
  intent: 'entry',
  timeInForce: 'gtc',
  stopLoss: { clientOrderId: STOP, stopPrice: 300 },
};
const posts = () => server.requests({ method: 'POST', path: '/v2/orders' });

describe('the Alpaca broker', () => {
  it('sends an entry with its stop as one OTO order, both good till cancelled', async () => {
    // Act
    const placed = await broker.submitOrder(entry);
    // Assess: one order at the venue, its leg found under the stop's own client id
    expect(placed).toMatchObject({ clientOrderId: ENTRY, status: 'open', filledQty: 0 });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.body).toMatchObject({ order_class: 'oto', time_in_force: 'gtc' });
    expect(await broker.getOrder(STOP)).toMatchObject({
      clientOrderId: STOP,
      intent: 'stop',
      side: 'sell',
      type: 'stop',
      stopPrice: 300,
      status: 'open',
    });
  });

  it('reports the fill at the next open with its New York date, and the stop held after it', async () => {
    // Prepare
    await broker.submitOrder(entry);
    // Act
    server.advanceTo('2023-06-15', 'close');
    // Assess
    const filled = await broker.getOrder(ENTRY);
    expect(filled).toMatchObject({ status: 'filled', filledQty: 5, filledDate: '2023-06-15' });
    expect(filled?.filledAvgPrice).toBeCloseTo(337.48, 2);
    expect((await broker.getOrder(STOP))?.status).toBe('open');
    expect(await broker.getPositions()).toEqual([{ symbol: 'MSFT', qty: 5 }]);
  });

  it("values the account at the session's official close, not Alpaca's live mark", async () => {
    // Prepare
    await broker.submitOrder(entry);
    server.advanceTo('2023-06-15', 'close');
    closes.set('MSFT', 348.1);
    // Act
    const account = await broker.getAccount();
    // Assess
    expect(account.equity).toBeCloseTo(account.cash + 5 * 348.1, 6);
    // Without the session's bar (a halt), the close before it, Alpaca's lastday_price (the 14th's)
    closes.clear();
    expect((await broker.getAccount()).equity).toBeCloseTo(account.cash + 5 * 337.339996, 4);
  });

  it('answers a second submit of the same id with the first order, never a second one', async () => {
    // Act
    const first = await broker.submitOrder(entry);
    const again = await broker.submitOrder(entry);
    // Assess: the venue refused the duplicate id, and the adapter looked it up
    expect(again).toEqual(first);
    expect(server.orders().filter((o) => o.client_order_id === ENTRY)).toHaveLength(1);
  });

  it("records a refusal (buying power) as a rejected order with the venue's reason", async () => {
    // Act
    const refused = await broker.submitOrder({ ...entry, qty: 100_000 });
    // Assess
    expect(refused).toMatchObject({ status: 'rejected', filledQty: 0 });
    expect(refused.rejectReason).toMatch(/^403 insufficient buying power/);
    expect(await broker.getOrder(ENTRY)).toBeUndefined();
  });

  it('a 500 on the POST is an unknown outcome: thrown, never retried', async () => {
    // Prepare
    server.faults.failNext(1, { status: 500, method: 'POST', path: '/v2/orders', when: 'after' });
    // Act
    const sent = broker.submitOrder(entry);
    // Assess
    await expect(sent).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(posts()).toHaveLength(1);
  });

  it('a connection dropped after the venue took the order: submitOnce finds it, one order in all', async () => {
    // Prepare
    server.faults.dropNext({ when: 'after', method: 'POST', path: '/v2/orders' });
    // Act
    const order = await submitOnce(broker, entry);
    // Assess
    expect(order).toMatchObject({ clientOrderId: ENTRY, status: 'open' });
    expect(server.orders().filter((o) => o.client_order_id === ENTRY)).toHaveLength(1);
  });

  it('cancels and waits until Alpaca has: pending_cancel is not yet cancelled', async () => {
    // Prepare
    await broker.submitOrder({ ...entry, stopLoss: undefined });
    // Act
    const canceled = await broker.cancelOrder(ENTRY);
    // Assess
    expect(canceled?.status).toBe('canceled');
    expect(server.requests({ method: 'DELETE' })).toHaveLength(1);
    expect(await broker.cancelOrder('2023-06-14-NONE-buy-entry')).toBeUndefined();
  });

  it("cancels an OTO entry's stop leg through its own client id", async () => {
    // Prepare: filled, so the stop is live
    await broker.submitOrder(entry);
    server.advanceTo('2023-06-15', 'close');
    // Act
    const canceled = await broker.cancelOrder(STOP);
    // Assess
    expect(canceled).toMatchObject({ clientOrderId: STOP, status: 'canceled' });
    expect((await broker.getOrder(ENTRY))?.status).toBe('filled');
  });

  it('sends the time in force it is given: a plain market order for the day, a stop good till cancelled', async () => {
    // Act
    await broker.submitOrder({ ...entry, stopLoss: undefined, timeInForce: 'day' });
    await broker.submitOrder({
      clientOrderId: '2023-06-14-AAPL-sell-stop-2023-06-01-protect',
      symbol: 'AAPL',
      side: 'sell',
      qty: 1,
      type: 'stop',
      stopPrice: 150,
      intent: 'stop',
      timeInForce: 'gtc',
    });
    // Assess
    expect(posts().map((p) => (p.body as { time_in_force: string }).time_in_force)).toEqual([
      'day',
      'gtc',
    ]);
    expect(await broker.getOrder(ENTRY)).toMatchObject({ timeInForce: 'day', status: 'open' });
  });

  it('a day order that filled in part and expired reads expired, with what filled and its price', async () => {
    // Prepare: 2 of the 5 fill at the open; the rest expires at the close
    server.faults.partialFill({ clientOrderId: ENTRY, qty: 2 });
    await broker.submitOrder({ ...entry, stopLoss: undefined, timeInForce: 'day' });
    // Act
    server.advanceTo('2023-06-15', 'close');
    // Assess
    const expired = await broker.getOrder(ENTRY);
    expect(expired).toMatchObject({
      status: 'expired',
      qty: 5,
      filledQty: 2,
      filledDate: '2023-06-15',
    });
    expect(expired?.filledAvgPrice).toBeCloseTo(337.48, 2);
  });

  it('an order Alpaca calls done_for_day reads open: a good-till-cancelled one works again tomorrow', async () => {
    // Prepare: the entry and its stop leg, then Alpaca's word for an order done for the session
    await broker.submitOrder(entry);
    server.venue.find(ENTRY)!.status = 'done_for_day';
    // Act
    const order = await broker.getOrder(ENTRY);
    // Assess: still working, so the next run cancels what of the day's decision has not filled
    expect(order).toMatchObject({ status: 'open', timeInForce: 'gtc', filledQty: 0 });
  });

  it('an order Alpaca calls calculated reads filled once every share is, open until then', async () => {
    // Prepare: Alpaca's status for an order done for the day with its settlement pending
    await broker.submitOrder(entry);
    const order = server.venue.find(ENTRY)!;
    order.status = 'calculated';
    // Act, Assess: nothing filled, so still working
    expect(await broker.getOrder(ENTRY)).toMatchObject({ status: 'open', filledQty: 0 });
    // Prepare: the entry fills at the open, and reads calculated again
    order.status = 'new';
    server.advanceTo('2023-06-15', 'open');
    order.status = 'calculated';
    // Act, Assess: a fill, not an order still working that fetch-data would try to cancel
    expect(await broker.getOrder(ENTRY)).toMatchObject({ status: 'filled', qty: 5, filledQty: 5 });
  });

  it('a cancel already pending is waited on, never asked again, and reads pending_cancel until done', async () => {
    // Prepare: someone cancelled the entry at Alpaca; it completes 100 ms later
    await broker.submitOrder({ ...entry, stopLoss: undefined });
    server.venue.cancel(server.venue.find(ENTRY)!);
    expect((await broker.getOrder(ENTRY))?.status).toBe('pending_cancel');
    // Act
    const canceled = await broker.cancelOrder(ENTRY);
    // Assess
    expect(canceled?.status).toBe('canceled');
    expect(server.requests({ method: 'DELETE' })).toEqual([]);
  });

  it("refuses a second lot's buy while the held lot's sell stop works: a wash trade, in Alpaca's words", async () => {
    // Prepare: MSFT held with its stop live
    await broker.submitOrder(entry);
    server.advanceTo('2023-06-15', '17:00');
    const second = '2023-06-15-MSFT-buy-entry';
    // Act
    const refused = await broker.submitOrder({
      ...entry,
      clientOrderId: second,
      stopLoss: { clientOrderId: '2023-06-15-MSFT-sell-stop', stopPrice: 320 },
    });
    // Assess: nothing stored, the held lot's stop untouched
    expect(refused).toMatchObject({ status: 'rejected', clientOrderId: second });
    expect(refused.rejectReason).toBe('403 potential wash trade detected. use complex orders');
    expect(await broker.getOrder(second)).toBeUndefined();
    expect(await broker.getOrder(STOP)).toMatchObject({ status: 'open', qty: 5 });
  });

  it('a stop the low traded through fills at its price', async () => {
    // Prepare: filled at 337.48 on the 15th; the low of the 20th is 335.86
    await broker.submitOrder({ ...entry, stopLoss: { clientOrderId: STOP, stopPrice: 336 } });
    server.advanceTo('2023-06-16', 'close');
    expect((await broker.getOrder(STOP))?.status).toBe('open');
    // Act
    server.advanceTo('2023-06-20', 'close');
    // Assess
    const stop = await broker.getOrder(STOP);
    expect(stop).toMatchObject({ status: 'filled', filledQty: 5, filledDate: '2023-06-20' });
    expect(stop?.filledAvgPrice).toBe(336);
    expect(await broker.getPositions()).toEqual([]);
  });
});
