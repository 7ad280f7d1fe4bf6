import { NotFoundError, PermissionError, ValidationError } from '@alpacahq/alpaca-trade-api/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlpacaTestServer,
  alpacaClientFor,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: AlpacaTestServer;
let alpaca: ReturnType<typeof alpacaClientFor>;
beforeEach(async () => {
  // After the close of 2023-06-14, when the daily bot runs
  server = await startAlpacaServer({ date: '2023-06-14', at: '17:00' });
  alpaca = alpacaClientFor(server);
});
afterEach(() => server.close());

describe('submitting and finding orders', () => {
  it('finds a submitted order by its client order id and by its id', async () => {
    // Act
    const placed = await alpaca.trading.orders.market({
      symbol: 'AAPL',
      qty: 10,
      side: 'buy',
      clientOrderId: '2023-06-14:AAPL:buy:entry',
    });
    const byClientId = await alpaca.trading.orders.getOrderByClientOrderId({
      clientOrderId: '2023-06-14:AAPL:buy:entry',
    });
    const byId = await alpaca.trading.orders.getOrderByOrderID({ orderId: placed.id! });
    // Assess
    expect(placed).toMatchObject({
      symbol: 'AAPL',
      qty: '10',
      filledQty: '0',
      type: 'market',
      timeInForce: 'day',
      status: 'accepted', // after 16:00 ET a market order waits for the next open
    });
    expect(placed.id).toMatch(UUID);
    expect(byClientId).toEqual(placed);
    expect(byId).toEqual(placed);
  });

  it('assigns the stop-loss leg of an OTO entry its own ids and nests it under the entry', async () => {
    // Act
    const entry = await alpaca.trading.orders.oto({
      symbol: 'MSFT',
      qty: 5,
      side: 'buy',
      timeInForce: 'gtc',
      clientOrderId: 'entry-msft',
      stopLoss: { stopPrice: 320 },
    });
    const fetched = await alpaca.trading.orders.getOrderByClientOrderId({
      clientOrderId: 'entry-msft',
    });
    const flat = await alpaca.trading.orders.getAllOrders({});
    const nested = await alpaca.trading.orders.getAllOrders({ nested: true });
    // Assess
    const leg = entry.legs?.[0];
    expect(entry.orderClass).toBe('oto');
    expect(entry.legs).toHaveLength(1);
    expect(leg).toMatchObject({
      side: 'sell',
      type: 'stop',
      stopPrice: '320',
      qty: '5',
      status: 'held',
      timeInForce: 'gtc',
    });
    expect(leg?.id).toMatch(UUID);
    expect(leg?.id).not.toBe(entry.id);
    expect(leg?.clientOrderId).not.toBe('entry-msft');
    expect(fetched.legs?.map((l) => l.id)).toEqual([leg?.id]);
    expect(flat.map((o) => o.id).sort()).toEqual([entry.id, leg?.id].sort());
    expect(nested.map((o) => [o.id, o.legs?.map((l) => l.id)])).toEqual([[entry.id, [leg?.id]]]);
  });

  it('refuses a reused client order id with the SDK typed 422 and stores nothing new', async () => {
    // Prepare
    const order = { symbol: 'AAPL', qty: 1, side: 'buy', clientOrderId: 'once' } as const;
    await alpaca.trading.orders.market(order);
    // Act
    const again = alpaca.trading.orders.market({ ...order, qty: 2 });
    // Assess
    await expect(again).rejects.toBeInstanceOf(ValidationError);
    await expect(again).rejects.toMatchObject({
      status: 422,
      code: 40010001,
      message: 'client_order_id must be unique',
    });
    expect(server.orders()).toHaveLength(1);
  });

  it('refuses a buy while a sell stop is open in the symbol: potential wash trade', async () => {
    // Prepare: shares held, protected by a resting stop
    server.setPosition('BA', 10, 210);
    await alpaca.trading.orders.stop({
      symbol: 'BA',
      qty: 10,
      side: 'sell',
      stopPrice: 200,
      timeInForce: 'gtc',
    });
    // Act
    const buy = alpaca.trading.orders.market({ symbol: 'BA', qty: 5, side: 'buy' });
    // Assess
    await expect(buy).rejects.toBeInstanceOf(PermissionError);
    await expect(buy).rejects.toMatchObject({
      status: 403,
      code: 40310000,
      message: 'potential wash trade detected. use complex orders',
    });
    expect(server.orders()).toHaveLength(1);
  });

  it('answers a wash trade with 422 when configured so', async () => {
    // Prepare
    const strict = await startAlpacaServer({ date: '2023-06-14', washTradeStatus: 422 });
    const client = alpacaClientFor(strict);
    strict.setPosition('BA', 10, 210);
    await client.trading.orders.stop({ symbol: 'BA', qty: 10, side: 'sell', stopPrice: 200 });
    // Act
    const buy = client.trading.orders.market({ symbol: 'BA', qty: 5, side: 'buy' });
    // Assess
    await expect(buy).rejects.toMatchObject({
      name: 'ValidationError',
      status: 422,
      code: 42210000,
    });
    await strict.close();
  });

  it('refuses a market sell of shares an open stop holds', async () => {
    // Prepare
    server.setPosition('BA', 10, 210);
    await alpaca.trading.orders.stop({ symbol: 'BA', qty: 10, side: 'sell', stopPrice: 200 });
    // Act
    const sell = alpaca.trading.orders.market({ symbol: 'BA', qty: 10, side: 'sell' });
    // Assess
    await expect(sell).rejects.toMatchObject({
      status: 403,
      message: 'insufficient qty available for order (requested: 10, available: 0)',
    });
  });

  it('refuses a buy beyond buying power (403, 40310000)', async () => {
    // Act: 1,000 AAPL at ~184 is 184,000 of a 100,000 account
    const buy = alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1000, side: 'buy' });
    // Assess
    await expect(buy).rejects.toMatchObject({
      status: 403,
      code: 40310000,
      message: 'insufficient buying power',
    });
    expect(server.orders()).toEqual([]);
  });

  it('refuses an unknown symbol (422) and answers 404 for an unknown order', async () => {
    // Act
    const unknown = () => alpaca.trading.orders.market({ symbol: 'ZZZZ', qty: 1, side: 'buy' });
    const missing = () =>
      alpaca.trading.orders.getOrderByOrderID({ orderId: '00000000-0000-4000-8000-000000000000' });
    const missingClientId = () =>
      alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'never' });
    // Assess
    await expect(unknown()).rejects.toMatchObject({
      status: 422,
      message: 'could not find asset "ZZZZ"',
    });
    await expect(missing()).rejects.toBeInstanceOf(NotFoundError);
    await expect(missingClientId()).rejects.toMatchObject({ status: 404, code: 40410000 });
  });

  it('refuses a sub-penny stop price, as Alpaca does', async () => {
    // Act
    const stop = alpaca.trading.orders.oto({
      symbol: 'AAPL',
      qty: 1,
      side: 'buy',
      stopLoss: { stopPrice: 170.123 },
    });
    // Assess
    await expect(stop).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('sub-penny increment'),
    });
  });
});

describe('listing orders', () => {
  it('lists open orders by default, newest first, 50 at most', async () => {
    // Prepare: 52 resting orders, the first of them canceled
    for (let i = 0; i < 52; i++) {
      await alpaca.trading.orders.limit({ symbol: 'PFE', qty: 1, side: 'buy', limitPrice: 30 });
    }
    const [first] = server.orders();
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: first?.id as string });
    await new Promise((resolve) => setTimeout(resolve, 150)); // the cancel delay is 100 ms
    // Act
    const open = await alpaca.trading.orders.getAllOrders({});
    const all = await alpaca.trading.orders.getAllOrders({ status: 'all', limit: 500 });
    const closed = await alpaca.trading.orders.getAllOrders({ status: 'closed' });
    // Assess
    expect(open).toHaveLength(50);
    expect(open[0]?.id).toBe(server.orders().at(-1)?.id);
    expect(all).toHaveLength(52);
    expect(closed.map((o) => [o.id, o.status])).toEqual([[first?.id, 'canceled']]);
  });
});

describe('canceling', () => {
  it('answers 204, shows pending_cancel, then canceled after the delay', async () => {
    // Prepare
    const patient = await startAlpacaServer({ date: '2023-06-14', cancelDelayMs: 400 });
    const client = alpacaClientFor(patient);
    const order = await client.trading.orders.limit({
      symbol: 'PFE',
      qty: 10,
      side: 'buy',
      limitPrice: 35,
    });
    // Act
    await client.trading.orders.deleteOrderByOrderID({ orderId: order.id! });
    const pending = await client.trading.orders.getOrderByOrderID({ orderId: order.id! });
    await new Promise((resolve) => setTimeout(resolve, 450));
    const done = await client.trading.orders.getOrderByOrderID({ orderId: order.id! });
    // Assess
    expect(pending.status).toBe('pending_cancel');
    expect(done.status).toBe('canceled');
    expect(done.canceledAt).toBeInstanceOf(Date);
    expect(patient.requests({ method: 'DELETE' }).map((r) => r.status)).toEqual([204]);
    await patient.close();
  });

  it('keeps a cancel pending until the next session event when configured so', async () => {
    // Prepare
    const slow = await startAlpacaServer({ date: '2023-06-14', cancelDelayMs: 'next-event' });
    const client = alpacaClientFor(slow);
    slow.setPosition('BA', 10, 210);
    const stop = await client.trading.orders.stop({
      symbol: 'BA',
      qty: 10,
      side: 'sell',
      stopPrice: 150,
      timeInForce: 'gtc',
    });
    await client.trading.orders.deleteOrderByOrderID({ orderId: stop.id! });
    // Act
    const overnight = client.trading.orders.market({ symbol: 'BA', qty: 10, side: 'sell' });
    await expect(overnight).rejects.toMatchObject({ status: 403 }); // the stop still holds the shares
    slow.advanceTo('2023-06-15', 'open');
    const after = await client.trading.orders.getOrderByOrderID({ orderId: stop.id! });
    // Assess
    expect(after.status).toBe('canceled');
    expect(after.filledQty).toBe('0');
    await slow.close();
  });

  it('refuses to cancel an order that already ended', async () => {
    // Prepare
    const order = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy' });
    server.advanceTo('2023-06-15', 'open');
    // Act
    const cancel = alpaca.trading.orders.deleteOrderByOrderID({ orderId: order.id! });
    // Assess
    await expect(cancel).rejects.toMatchObject({
      status: 422,
      message: 'order is already in "filled" state',
    });
  });
});
