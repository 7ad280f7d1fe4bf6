import { describe, expect, it } from 'vitest';
import { HistoryMarketData } from '../../../shared/backtest/history-market-data.js';
import { SimulatedBroker } from '../../../shared/backtest/simulated/simulated-broker.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { dayBars, type MarketHistory } from '../../../shared/domain/market/history.js';
import type { OrderRequest } from '../../../shared/ports/index.js';
import { generateMarket } from '../../support/market-generator.js';

const costs = parseConfig({}).costs;
const slip = 7.5 / 10_000;

type Bar = readonly [date: string, open: number, high: number, low: number, close: number];

/** A one-symbol (AAA) history of the given bars. */
function historyOf(bars: readonly Bar[]): MarketHistory {
  const column = (field: 1 | 2 | 3 | 4) => Float64Array.from(bars, (bar) => bar[field]);
  return {
    dates: bars.map((bar) => bar[0]),
    symbols: ['AAA'],
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: new Float64Array(bars.length).fill(1_000),
    vix: new Float64Array(bars.length).fill(15),
  };
}

const venueOver = (bars: readonly Bar[], cash = 10_000) =>
  new SimulatedBroker(new HistoryMarketData(historyOf(bars)), cash, costs);

const buy = (
  id: string,
  qty: number,
  stopPrice?: number,
  timeInForce: OrderRequest['timeInForce'] = 'gtc',
): OrderRequest => ({
  clientOrderId: id,
  symbol: 'AAA',
  side: 'buy',
  qty,
  type: 'market',
  intent: 'entry',
  timeInForce,
  ...(stopPrice !== undefined && { stopLoss: { clientOrderId: `${id}-stop`, stopPrice } }),
});

describe('SimulatedBroker', () => {
  it('fills a market order at the next open with slippage and commission, not before', async () => {
    const broker = venueOver([
      ['2024-01-02', 100, 101, 99, 100],
      ['2024-01-03', 102, 104, 101, 103],
    ]);
    await broker.openSessionsThrough('2024-01-02');
    await broker.submitOrder(buy('b1', 10));
    expect((await broker.getOrder('b1'))?.status).toBe('open');

    await broker.openSessionsThrough('2024-01-03');
    const order = await broker.getOrder('b1');
    expect(order).toMatchObject({
      status: 'filled',
      submittedAt: '2024-01-02',
      filledQty: 10,
      filledDate: '2024-01-03',
      commission: 0.05,
    });
    expect(order?.filledAvgPrice).toBeCloseTo(102 * (1 + slip), 12);
    const account = await broker.getAccount();
    expect(account.cash).toBeCloseTo(10_000 - 10 * 102 * (1 + slip) - 0.05, 9);
    expect(account.equity).toBeCloseTo(account.cash + 10 * 103, 9);
  });

  it("marks its live equity at the last session's closes and keeps no close before it", async () => {
    const broker = venueOver([
      ['2024-01-02', 100, 101, 99, 100],
      ['2024-01-03', 102, 104, 101, 103],
    ]);
    await broker.openSessionsThrough('2024-01-02');
    await broker.submitOrder(buy('b1', 10));
    await broker.openSessionsThrough('2024-01-03');

    const live = await broker.getLiveEquity();

    // The equity probe then compares with the bot's own equity history, never a made-up close
    expect(live).toEqual({ equity: (await broker.getAccount()).equity, lastCloseEquity: null });
    expect(live.equity).toBeGreaterThan(0);
  });

  it('returns the existing order when a client order id is submitted again', async () => {
    const broker = venueOver([['2024-01-03', 100, 100, 100, 100]]);
    await broker.submitOrder(buy('b1', 10));
    await broker.submitOrder(buy('b1', 99));
    await broker.openSessionsThrough('2024-01-03');
    expect(await broker.getPositions()).toEqual([{ symbol: 'AAA', qty: 10 }]);
  });

  it.each([
    { name: 'touched intraday fills at the stop', open: 99, low: 94, expected: 95 },
    { name: 'gapping through fills at the open', open: 90, low: 88, expected: 90 },
  ])('an attached stop $name', async ({ open, low, expected }) => {
    const broker = venueOver([
      ['2024-01-03', 100, 101, 99, 100],
      ['2024-01-04', open, 101, low, 100],
    ]);
    await broker.submitOrder(buy('b1', 10, 95));
    await broker.openSessionsThrough('2024-01-03');
    expect((await broker.getOrder('b1-stop'))?.status).toBe('open');
    await broker.openSessionsThrough('2024-01-04');
    const stop = await broker.getOrder('b1-stop');
    expect(stop?.status).toBe('filled');
    expect(stop?.filledAvgPrice).toBeCloseTo(expected * (1 - slip), 12);
    expect(await broker.getPositions()).toEqual([]);
  });

  it('runs the stop against the fill bar itself: an entry that gaps below its stop is stopped the same day', async () => {
    const broker = venueOver([['2024-01-03', 90, 92, 89, 91]]);
    await broker.submitOrder(buy('b1', 10, 95));
    await broker.openSessionsThrough('2024-01-03');
    expect((await broker.getOrder('b1'))?.filledAvgPrice).toBeCloseTo(90 * (1 + slip), 12);
    expect((await broker.getOrder('b1-stop'))?.filledAvgPrice).toBeCloseTo(90 * (1 - slip), 12);
  });

  it('rejects a buy the cash cannot pay at the open, and a sell larger than the position', async () => {
    const broker = venueOver([['2024-01-03', 100, 100, 100, 100]], 1_000);
    await broker.submitOrder(buy('b1', 10));
    await broker.submitOrder({
      clientOrderId: 's1',
      symbol: 'AAA',
      side: 'sell',
      qty: 5,
      type: 'market',
      intent: 'exit',
      timeInForce: 'day',
    });
    await broker.openSessionsThrough('2024-01-03');
    expect((await broker.getOrder('b1'))?.status).toBe('rejected');
    expect((await broker.getOrder('s1'))?.rejectReason).toMatch(/exceeds the position/);
    expect((await broker.getAccount()).cash).toBe(1_000);
  });

  it('cancels a live stop so that it no longer triggers', async () => {
    const broker = venueOver([
      ['2024-01-03', 100, 101, 99, 100],
      ['2024-01-04', 90, 91, 80, 85],
    ]);
    await broker.submitOrder(buy('b1', 10, 95));
    await broker.openSessionsThrough('2024-01-03');
    await broker.cancelOrder('b1-stop');
    await broker.openSessionsThrough('2024-01-04');
    expect((await broker.getOrder('b1-stop'))?.status).toBe('canceled');
    expect(await broker.getPositions()).toEqual([{ symbol: 'AAA', qty: 10 }]);
  });

  it('refuses unknown symbols and non-integer quantities with a message naming them', async () => {
    const broker = venueOver([['2024-01-03', 100, 100, 100, 100]]);
    await expect(broker.submitOrder({ ...buy('x', 1), symbol: 'ZZZ' })).rejects.toThrow(
      /unknown symbol ZZZ/,
    );
    await expect(broker.submitOrder(buy('y', 1.5))).rejects.toThrow(
      /qty must be a positive integer/,
    );
  });
});

describe('SimulatedBroker.openSessionsThrough', () => {
  const gap: Bar[] = [
    ['2024-01-03', 90, 91, 89, 90],
    ['2024-01-04', 100, 101, 99, 100],
    ['2024-01-05', 102, 103, 98, 101], // the queued buy fills here; its stop at 95 holds
    ['2024-01-08', 99, 100, 94, 96], // the low touches the stop
    ['2024-01-09', 80, 81, 79, 80], // a gap down: a stop run only on the last day would fill here
  ];

  it('on a new venue opens only the date itself, not the history before it', async () => {
    const broker = venueOver(gap);
    await broker.submitOrder(buy('b0', 10));
    await broker.openSessionsThrough('2024-01-04');
    expect(broker.lastSession).toBe('2024-01-04');
    expect((await broker.getOrder('b0'))?.filledAvgPrice).toBeCloseTo(100 * (1 + slip), 12);
  });

  it('over a gap of three sessions fills the queued order at the first and runs the stop on each day', async () => {
    // Prepare
    const broker = venueOver(gap);
    await broker.openSessionsThrough('2024-01-04');
    await broker.submitOrder(buy('b1', 10, 95));
    // Act
    await broker.openSessionsThrough('2024-01-09');
    // Assess
    expect(broker.lastSession).toBe('2024-01-09');
    const entry = await broker.getOrder('b1');
    expect(entry).toMatchObject({ status: 'filled', filledDate: '2024-01-05' });
    expect(entry?.filledAvgPrice).toBeCloseTo(102 * (1 + slip), 12);
    const stop = await broker.getOrder('b1-stop');
    expect(stop).toMatchObject({ status: 'filled', submittedAt: '2024-01-05' });
    expect(stop?.filledDate).toBe('2024-01-08');
    expect(stop?.filledAvgPrice).toBeCloseTo(95 * (1 - slip), 12);
    expect(await broker.getPositions()).toEqual([]);
  });

  it('changes nothing when called again for the same or an earlier date', async () => {
    // Prepare: a stop that is live and an order queued after the run of the 5th
    const broker = venueOver(gap);
    await broker.submitOrder(buy('b1', 10, 95));
    await broker.openSessionsThrough('2024-01-05');
    await broker.submitOrder(buy('b2', 5));
    const before = JSON.stringify(broker.toJSON());
    // Act
    await broker.openSessionsThrough('2024-01-05');
    await broker.openSessionsThrough('2024-01-03');
    // Assess
    expect(JSON.stringify(broker.toJSON())).toBe(before);
    expect((await broker.getOrder('b2'))?.status).toBe('open');
  });

  it("gives an entry's stop the entry's time in force: a day leg expires at the close of its fill's session", async () => {
    // Prepare
    const broker = venueOver(gap);
    await broker.submitOrder(buy('day', 10, 85, 'day'));
    await broker.submitOrder(buy('gtc', 10, 85));
    // Act: filled at the 3rd's open, neither stop touched that day
    await broker.openSessionsThrough('2024-01-03');
    // Assess
    expect(await broker.getOrder('day-stop')).toMatchObject({
      status: 'expired',
      timeInForce: 'day',
    });
    expect(await broker.getOrder('gtc-stop')).toMatchObject({ status: 'open', timeInForce: 'gtc' });
    await broker.openSessionsThrough('2024-01-05');
    expect((await broker.getOrder('day-stop'))?.status).toBe('expired');
  });

  it('refuses to open a session at or before the last one', () => {
    const broker = venueOver(gap);
    broker.openSession(dayBars(historyOf(gap), 2));
    expect(() => broker.openSession(dayBars(historyOf(gap), 2))).toThrow(
      /session 2024-01-05 is not after the last one opened \(2024-01-05\)/,
    );
  });
});

describe('SimulatedBroker.toJSON and fromJSON', () => {
  const market = generateMarket({ symbols: 4, days: 40, seed: 7 });
  const feed = new HistoryMarketData(market);

  /** A run of a few weeks: entries with stops, exits, a cancel, and gaps of several sessions. */
  async function trade(broker: SimulatedBroker, carry: (b: SimulatedBroker) => SimulatedBroker) {
    const entries = new Map<string, string>();
    for (let d = 0; d < market.dates.length; d += 1 + (d % 3)) {
      broker = carry(broker);
      await broker.openSessionsThrough(market.dates[d]!);
      broker = carry(broker);
      const s = d % market.symbols.length;
      const symbol = market.symbols[s]!;
      const id = `${market.dates[d]}-${symbol}`;
      const held = (await broker.getPositions()).find((p) => p.symbol === symbol);
      if (held) {
        await broker.cancelOrder(`${entries.get(symbol)}-stop`);
        broker = carry(broker);
        await broker.submitOrder({ ...buy(id, held.qty), symbol, side: 'sell', intent: 'exit' });
      } else {
        const close = market.close[d * market.symbols.length + s]!;
        await broker.submitOrder({ ...buy(id, 7, close * 0.97), symbol });
        entries.set(symbol, id);
      }
    }
    return carry(broker);
  }

  it('carries on bit-identically after a JSON round trip at every call', async () => {
    // Prepare
    const direct = await trade(new SimulatedBroker(feed, 50_000, costs), (b) => b);
    // Act
    const roundTripped = await trade(new SimulatedBroker(feed, 50_000, costs), (b) =>
      SimulatedBroker.fromJSON(JSON.parse(JSON.stringify(b.toJSON())), feed, costs),
    );
    // Assess
    expect(direct.allOrders().some((o) => o.intent === 'stop' && o.status === 'filled')).toBe(true);
    expect(roundTripped.allOrders()).toEqual(direct.allOrders());
    expect((await roundTripped.getAccount()).cash).toBe((await direct.getAccount()).cash);
    expect(await roundTripped.getAccount()).toEqual(await direct.getAccount());
    expect(roundTripped.toJSON()).toEqual(direct.toJSON());
  });

  it('reads a venue saved before orders had a time in force, when a working order was accepted', async () => {
    // Prepare: an entry with its live stop, saved as the earlier version wrote them
    const broker = new SimulatedBroker(feed, 50_000, costs);
    await broker.openSessionsThrough(market.dates[0]!);
    await broker.submitOrder({ ...buy('b1', 5, 1), symbol: market.symbols[0]! });
    await broker.openSessionsThrough(market.dates[1]!);
    await broker.submitOrder({ ...buy('b2', 5), symbol: market.symbols[1]!, timeInForce: 'day' });
    const state = broker.toJSON();
    expect(state.orders.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['b1', 'filled'],
      ['b1-stop', 'open'],
      ['b2', 'open'],
    ]);
    const older = {
      ...state,
      orders: state.orders.map(({ timeInForce: _dropped, ...order }) => ({
        ...order,
        status: order.status === 'open' ? 'accepted' : order.status,
      })),
    };
    // Act
    const read = SimulatedBroker.fromJSON(JSON.parse(JSON.stringify(older)), feed, costs);
    // Assess: as it was sent then, an OTO entry good till cancelled, a plain one for the day
    expect(read.allOrders()).toEqual(broker.allOrders());
  });

  it('rejects a state saved for another universe', () => {
    const other = generateMarket({ symbols: 3, days: 5, seed: 7 });
    const state = new SimulatedBroker(new HistoryMarketData(other), 1_000, costs).toJSON();
    expect(() => SimulatedBroker.fromJSON(state, feed, costs)).toThrow(
      /the venue was created for another universe \(3 symbols: S000, S001, S002\), not the data's \(4 symbols/,
    );
  });

  it.each([
    { name: 'a mistyped field', edit: { cash: '1000' }, message: /expected number.*\n.*at cash/ },
    {
      name: 'a dangling queued id',
      edit: { queued: ['nope'] },
      message: /no such order\n.*queued\[0\]/,
    },
  ])('rejects $name, naming the field', ({ edit, message }) => {
    const state = { ...new SimulatedBroker(feed, 1_000, costs).toJSON(), ...edit };
    expect(() => SimulatedBroker.fromJSON(state, feed, costs)).toThrow(message);
  });

  type State = ReturnType<SimulatedBroker['toJSON']>;
  it.each([
    {
      name: 'a live stop without its price (it would never fire)',
      edit: (state: State): State => ({
        ...state,
        orders: state.orders.map(({ stopPrice: _, ...order }) => order),
      }),
      message: /not a sell stop with a positive stopPrice\n.*stops\[0\]/,
    },
    {
      name: 'a stop in the queue (it would be sold at the open)',
      edit: (state: State): State => ({ ...state, queued: [...state.stops] }),
      message: /not a market order\n.*queued\[0\]/,
    },
  ])('rejects $name', async ({ edit, message }) => {
    const bars: Bar[] = [
      ['2024-01-02', 100, 101, 99, 100],
      ['2024-01-03', 102, 104, 101, 103],
    ];
    const broker = venueOver(bars);
    await broker.openSessionsThrough('2024-01-02');
    await broker.submitOrder(buy('b1', 10, 95));
    await broker.openSessionsThrough('2024-01-03');
    const state = broker.toJSON();
    expect(state.stops).toEqual(['b1-stop']);
    const feedOf = new HistoryMarketData(historyOf(bars));
    expect(() => SimulatedBroker.fromJSON(edit(state), feedOf, costs)).toThrow(message);
  });
});
