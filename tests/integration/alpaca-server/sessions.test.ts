import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlpacaTestServer,
  alpacaClientFor,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';

// Shipped bars (data/prices/daily.csv) the expectations below are read from
const AAPL_2023_06_15_OPEN = 183.960007;
const BA_2023_06_15 = { open: 217.169998, low: 215.309998 };
const BA_2023_06_22_OPEN = 205.610001; // below the 2023-06-21 low of 209.389999: a gap down

let server: AlpacaTestServer;
let alpaca: ReturnType<typeof alpacaClientFor>;
beforeEach(async () => {
  server = await startAlpacaServer({ date: '2023-06-14', at: '17:00' });
  alpaca = alpacaClientFor(server);
});
afterEach(() => server.close());

describe('fills', () => {
  it('fills a market order placed after the close at the next open, and books it', async () => {
    // Prepare
    const order = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 10, side: 'buy' });
    // Act
    server.advanceTo('2023-06-15', 'open');
    const filled = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    const position = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' });
    const account = await alpaca.trading.account.getAccount();
    // Assess
    expect(filled).toMatchObject({
      status: 'filled',
      filledQty: '10',
      filledAvgPrice: String(AAPL_2023_06_15_OPEN),
      filledAt: new Date('2023-06-15T13:30:00Z'),
    });
    expect(position).toMatchObject({ qty: '10', avgEntryPrice: String(AAPL_2023_06_15_OPEN) });
    expect(Number(account.cash)).toBeCloseTo(100_000 - 10 * AAPL_2023_06_15_OPEN, 6);
    expect(account.lastEquity).toBe('100000'); // the 2023-06-14 close, before the trade
  });

  it('keeps the order accepted until the open comes', async () => {
    // Prepare
    const order = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 10, side: 'buy' });
    // Act
    server.advanceTo('2023-06-15', '09:29');
    const waiting = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    // Assess
    expect(waiting.status).toBe('accepted');
    expect(server.positions()).toEqual([]);
  });

  it('fills a market order placed during the session at once, at the open (the last price)', async () => {
    // Prepare
    server.advanceTo('2023-06-15', '10:00');
    // Act
    const order = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy' });
    // Assess
    expect(order).toMatchObject({
      status: 'filled',
      filledAvgPrice: String(AAPL_2023_06_15_OPEN),
      filledAt: new Date('2023-06-15T14:00:00Z'),
    });
  });

  it('triggers a sell stop on the session low, at the stop price', async () => {
    // Prepare: an OTO entry whose stop the next session trades through
    const entry = await alpaca.trading.orders.oto({
      symbol: 'BA',
      qty: 10,
      side: 'buy',
      timeInForce: 'gtc',
      stopLoss: { stopPrice: 216 },
    });
    // Act
    server.advanceTo('2023-06-15', 'open');
    const armed = await alpaca.trading.orders.getOrderByOrderID({ orderId: entry.id! });
    server.advanceTo('2023-06-15', 'close');
    const stopped = await alpaca.trading.orders.getOrderByOrderID({ orderId: entry.id! });
    // Assess
    expect(armed.filledAvgPrice).toBe(String(BA_2023_06_15.open));
    expect(armed.legs?.[0]?.status).toBe('new');
    expect(BA_2023_06_15.low).toBeLessThan(216);
    expect(stopped.legs?.[0]).toMatchObject({ status: 'filled', filledAvgPrice: '216' });
    expect(server.positions()).toEqual([]);
  });

  it('fills a stop gapped through at the open, at the open: min(stop, open)', async () => {
    // Prepare
    const entry = await alpaca.trading.orders.oto({
      symbol: 'BA',
      qty: 10,
      side: 'buy',
      timeInForce: 'gtc',
      stopLoss: { stopPrice: 209 },
    });
    // Act
    server.advanceTo('2023-06-21', 'close');
    const held = await alpaca.trading.orders.getOrderByOrderID({ orderId: entry.id! });
    server.advanceTo('2023-06-22', 'open');
    const gapped = await alpaca.trading.orders.getOrderByOrderID({ orderId: entry.id! });
    // Assess
    expect(held.legs?.[0]?.status).toBe('new');
    expect(gapped.legs?.[0]).toMatchObject({
      status: 'filled',
      filledAvgPrice: String(BA_2023_06_22_OPEN),
    });
  });

  it('expires a day OTO stop at the close of the day its entry filled, as Alpaca does', async () => {
    // Prepare
    const entry = await alpaca.trading.orders.oto({
      symbol: 'MSFT',
      qty: 2,
      side: 'buy',
      stopLoss: { stopPrice: 300 },
    });
    // Act
    server.advanceTo('2023-06-15', 'close');
    const after = await alpaca.trading.orders.getOrderByOrderID({ orderId: entry.id! });
    // Assess: the position stands unprotected
    expect(after.status).toBe('filled');
    expect(after.legs?.[0]).toMatchObject({ status: 'expired', timeInForce: 'day' });
    expect(server.positions().map((p) => [p.symbol, p.qty])).toEqual([['MSFT', '2']]);
  });

  it('fills in part when told to, and the day order expires with the rest', async () => {
    // Prepare
    server.faults.partialFill({ symbol: 'PFE', qty: 40 });
    const order = await alpaca.trading.orders.market({ symbol: 'PFE', qty: 100, side: 'buy' });
    // Act
    server.advanceTo('2023-06-15', 'open');
    const partial = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    server.advanceTo('2023-06-15', 'close');
    const expired = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    // Assess
    expect(partial).toMatchObject({ status: 'partially_filled', filledQty: '40' });
    expect(expired).toMatchObject({ status: 'expired', filledQty: '40', filledAvgPrice: '39.41' });
    expect(server.positions().map((p) => p.qty)).toEqual(['40']);
  });

  it('rejects at the open an order in a symbol told to fail there', async () => {
    // Prepare
    server.faults.rejectSymbol('PFE', { at: 'fill' });
    const order = await alpaca.trading.orders.market({ symbol: 'PFE', qty: 10, side: 'buy' });
    // Act
    server.advanceTo('2023-06-15', 'open');
    const rejected = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    // Assess
    expect(order.status).toBe('accepted');
    expect(rejected).toMatchObject({ status: 'rejected', filledQty: '0' });
    expect(rejected.failedAt).toBeInstanceOf(Date);
  });

  it('expires a day limit order that did not trade, and a GTC one only at its age limit', async () => {
    // Prepare
    const day = await alpaca.trading.orders.limit({
      symbol: 'AAPL',
      qty: 1,
      side: 'buy',
      limitPrice: 150,
    });
    const gtc = await alpaca.trading.orders.limit({
      symbol: 'AAPL',
      qty: 1,
      side: 'buy',
      limitPrice: 150,
      timeInForce: 'gtc',
    });
    // Act
    server.advanceTo('2023-06-15', 'close');
    const [dayAfter, gtcAfter] = await Promise.all(
      [day, gtc].map((o) => alpaca.trading.orders.getOrderByOrderID({ orderId: o.id! })),
    );
    server.expireOrder(gtc.clientOrderId!);
    // Assess
    expect(dayAfter?.status).toBe('expired');
    expect(gtcAfter?.status).toBe('new');
    expect(server.order(gtc.id!)?.status).toBe('expired');
  });
});

describe('clock and calendar', () => {
  it('tells the market closed after 16:00 and when it opens next', async () => {
    // Act
    const closed = await alpaca.trading.clock.legacyClock();
    server.advanceTo('2023-06-15', '10:00');
    const open = await alpaca.trading.clock.legacyClock();
    // Assess
    expect(closed).toEqual({
      timestamp: new Date('2023-06-14T21:00:00Z'),
      isOpen: false,
      nextOpen: new Date('2023-06-15T13:30:00Z'),
      nextClose: new Date('2023-06-15T20:00:00Z'),
    });
    expect(open).toMatchObject({ isOpen: true, nextClose: new Date('2023-06-15T20:00:00Z') });
  });

  it('lists sessions from the NYSE rules: Juneteenth closed, July 3 closing at 13:00', async () => {
    // Act
    const days = await alpaca.trading.calendar.legacyCalendar({
      start: new Date('2023-06-15'),
      end: new Date('2023-07-05'),
    });
    // Assess
    const dates = days.map((day) => day.date.toISOString().slice(0, 10));
    expect(dates.slice(0, 4)).toEqual(['2023-06-15', '2023-06-16', '2023-06-20', '2023-06-21']);
    expect(days.find((d) => d.date.toISOString().startsWith('2023-07-03'))?.close).toBe('13:00');
    expect(dates).not.toContain('2023-07-04');
  });

  it('answers the v3 clock and calendar for the NYSE too', async () => {
    // Act
    const { clocks } = await alpaca.trading.clock.clock({ markets: 'NYSE' });
    const { calendar } = await alpaca.trading.calendar.calendar({
      market: 'NYSE',
      start: new Date('2023-11-24'),
      end: new Date('2023-11-24'),
    });
    // Assess
    expect(clocks[0]).toMatchObject({
      isMarketDay: true,
      phase: 'post',
      phaseUntil: new Date('2023-06-15T00:00:00Z'), // 20:00 New York
      nextMarketOpen: new Date('2023-06-15T13:30:00Z'),
    });
    expect(calendar.map((day) => [day.coreStart, day.coreEnd])).toEqual([
      [new Date('2023-11-24T14:30:00Z'), new Date('2023-11-24T18:00:00Z')], // 13:00 close
    ]);
  });
});
