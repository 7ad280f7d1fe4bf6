import { describe, expect, it } from 'vitest';
import { SimulatedBroker } from '../../../shared/backtest/simulated/simulated-broker.js';
import { parseConfig } from '../../../shared/domain/config.js';
import type { DayBars } from '../../../shared/domain/market/history.js';
import type { OrderRequest } from '../../../shared/ports/index.js';

const costs = parseConfig({}).costs;
const slip = 7.5 / 10_000;

/** One symbol's bar as a DayBars of a one-symbol universe. */
const bar = (date: string, o: number, h: number, l: number, c: number): DayBars => ({
  date,
  symbols: ['AAA'],
  open: Float64Array.of(o),
  high: Float64Array.of(h),
  low: Float64Array.of(l),
  close: Float64Array.of(c),
  volume: Float64Array.of(1_000),
  vix: 15,
});

const buy = (id: string, qty: number, stopPrice?: number): OrderRequest => ({
  clientOrderId: id,
  symbol: 'AAA',
  side: 'buy',
  qty,
  type: 'market',
  intent: 'entry',
  ...(stopPrice !== undefined && { stopLoss: { clientOrderId: `${id}-stop`, stopPrice } }),
});

describe('SimulatedBroker', () => {
  it('fills a market order at the next open with slippage and commission, not before', async () => {
    const broker = new SimulatedBroker(['AAA'], 10_000, costs);
    broker.openSession(bar('2024-01-02', 100, 101, 99, 100));
    await broker.submitOrder(buy('b1', 10));
    expect((await broker.getOrder('b1'))?.status).toBe('accepted');

    broker.openSession(bar('2024-01-03', 102, 104, 101, 103));
    const order = await broker.getOrder('b1');
    expect(order).toMatchObject({
      status: 'filled',
      filledQty: 10,
      filledDate: '2024-01-03',
      commission: 0.05,
    });
    expect(order?.filledAvgPrice).toBeCloseTo(102 * (1 + slip), 12);
    const account = await broker.getAccount();
    expect(account.cash).toBeCloseTo(10_000 - 10 * 102 * (1 + slip) - 0.05, 9);
    expect(account.equity).toBeCloseTo(account.cash + 10 * 103, 9);
  });

  it('returns the existing order when a client order id is submitted again', async () => {
    const broker = new SimulatedBroker(['AAA'], 10_000, costs);
    await broker.submitOrder(buy('b1', 10));
    await broker.submitOrder(buy('b1', 99));
    broker.openSession(bar('2024-01-03', 100, 100, 100, 100));
    expect(await broker.getPositions()).toEqual([{ symbol: 'AAA', qty: 10 }]);
  });

  it.each([
    { name: 'touched intraday fills at the stop', open: 99, low: 94, expected: 95 },
    { name: 'gapping through fills at the open', open: 90, low: 88, expected: 90 },
  ])('an attached stop $name', async ({ open, low, expected }) => {
    const broker = new SimulatedBroker(['AAA'], 10_000, costs);
    await broker.submitOrder(buy('b1', 10, 95));
    broker.openSession(bar('2024-01-03', 100, 101, 99, 100));
    expect((await broker.getOrder('b1-stop'))?.status).toBe('accepted');
    broker.openSession(bar('2024-01-04', open, 101, low, 100));
    const stop = await broker.getOrder('b1-stop');
    expect(stop?.status).toBe('filled');
    expect(stop?.filledAvgPrice).toBeCloseTo(expected * (1 - slip), 12);
    expect(await broker.getPositions()).toEqual([]);
  });

  it('runs the stop against the fill bar itself: an entry that gaps below its stop is stopped the same day', async () => {
    const broker = new SimulatedBroker(['AAA'], 10_000, costs);
    await broker.submitOrder(buy('b1', 10, 95));
    broker.openSession(bar('2024-01-03', 90, 92, 89, 91));
    expect((await broker.getOrder('b1'))?.filledAvgPrice).toBeCloseTo(90 * (1 + slip), 12);
    expect((await broker.getOrder('b1-stop'))?.filledAvgPrice).toBeCloseTo(90 * (1 - slip), 12);
  });

  it('rejects a buy the cash cannot pay at the open, and a sell larger than the position', async () => {
    const broker = new SimulatedBroker(['AAA'], 1_000, costs);
    await broker.submitOrder(buy('b1', 10));
    await broker.submitOrder({
      clientOrderId: 's1',
      symbol: 'AAA',
      side: 'sell',
      qty: 5,
      type: 'market',
      intent: 'exit',
    });
    broker.openSession(bar('2024-01-03', 100, 100, 100, 100));
    expect((await broker.getOrder('b1'))?.status).toBe('rejected');
    expect((await broker.getOrder('s1'))?.rejectReason).toMatch(/exceeds the position/);
    expect((await broker.getAccount()).cash).toBe(1_000);
  });

  it('cancels a live stop so that it no longer triggers', async () => {
    const broker = new SimulatedBroker(['AAA'], 10_000, costs);
    await broker.submitOrder(buy('b1', 10, 95));
    broker.openSession(bar('2024-01-03', 100, 101, 99, 100));
    await broker.cancelOrder('b1-stop');
    broker.openSession(bar('2024-01-04', 90, 91, 80, 85));
    expect((await broker.getOrder('b1-stop'))?.status).toBe('canceled');
    expect(await broker.getPositions()).toEqual([{ symbol: 'AAA', qty: 10 }]);
  });

  it('refuses unknown symbols and non-integer quantities with a message naming them', async () => {
    const broker = new SimulatedBroker(['AAA'], 10_000, costs);
    await expect(broker.submitOrder({ ...buy('x', 1), symbol: 'ZZZ' })).rejects.toThrow(
      /unknown symbol ZZZ/,
    );
    await expect(broker.submitOrder(buy('y', 1.5))).rejects.toThrow(
      /qty must be a positive integer/,
    );
  });
});
