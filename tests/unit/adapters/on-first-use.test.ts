import { describe, expect, it, vi } from 'vitest';
import { LazyBroker, LazyMarketData, onFirstUse } from '../../../shared/adapters/on-first-use.js';
import type { DayBars } from '../../../shared/domain/market/history.js';
import type { Broker, MarketData, Venue } from '../../../shared/ports/index.js';

const bars = { date: '2024-01-02' } as unknown as DayBars;
const marketData = (): MarketData => ({
  dayBars: vi.fn(async () => bars),
  daysBefore: vi.fn(async () => [bars]),
});

describe('onFirstUse', () => {
  it('opens once: concurrent and later calls share the first promise', async () => {
    // Prepare
    const open = vi.fn(async () => ({ opened: true }));
    const opened = onFirstUse(open);
    // Act
    const [a, b] = await Promise.all([opened(), opened()]);
    const c = await opened();
    // Assess
    expect(open).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('forgets a failed open: the caller gets its error, the next call opens again', async () => {
    // Prepare
    const open = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('data/prices/daily.csv:0: required file is missing'))
      .mockResolvedValueOnce('opened');
    const opened = onFirstUse(open);
    // Act, Assess
    await expect(opened()).rejects.toThrow('data/prices/daily.csv:0: required file is missing');
    await expect(opened()).resolves.toBe('opened');
    await expect(opened()).resolves.toBe('opened');
    expect(open).toHaveBeenCalledTimes(2);
  });
});

describe('LazyMarketData', () => {
  it('opens nothing until the first call, then passes every call to what it opened', async () => {
    // Prepare
    const inner = marketData();
    const open = vi.fn(async () => inner);
    const lazy = new LazyMarketData(open);
    expect(open).not.toHaveBeenCalled();
    // Act
    const day = await lazy.dayBars('2024-01-02');
    const before = await lazy.daysBefore('2024-01-03', 20);
    // Assess
    expect(open).toHaveBeenCalledTimes(1);
    expect(day).toBe(bars);
    expect(before).toEqual([bars]);
    expect(inner.dayBars).toHaveBeenCalledWith('2024-01-02');
    expect(inner.daysBefore).toHaveBeenCalledWith('2024-01-03', 20);
    expect(await lazy.opened()).toBe(inner);
  });
});

describe('LazyBroker', () => {
  it('opens nothing until the first call, then passes every call to what it opened', async () => {
    // Prepare
    const order = { clientOrderId: 'x', status: 'accepted' };
    const inner = {
      openSessionsThrough: vi.fn(async () => {}),
      getAccount: vi.fn(async () => ({ cash: 1, equity: 2 })),
      getPositions: vi.fn(async () => [{ symbol: 'AAPL', qty: 3 }]),
      getOrder: vi.fn(async () => order),
      submitOrder: vi.fn(async () => order),
      cancelOrder: vi.fn(async () => undefined),
    } as unknown as Broker & Venue;
    const open = vi.fn(async () => inner);
    const lazy = new LazyBroker(open);
    expect(open).not.toHaveBeenCalled();
    // Act
    await lazy.openSessionsThrough('2024-01-02');
    const answers = [
      await lazy.getAccount(),
      await lazy.getPositions(),
      await lazy.getOrder('x'),
      await lazy.submitOrder(order as never),
      await lazy.cancelOrder('x'),
    ];
    // Assess
    expect(open).toHaveBeenCalledTimes(1);
    expect(inner.openSessionsThrough).toHaveBeenCalledWith('2024-01-02');
    expect(inner.getOrder).toHaveBeenCalledWith('x');
    expect(inner.submitOrder).toHaveBeenCalledWith(order);
    expect(inner.cancelOrder).toHaveBeenCalledWith('x');
    expect(answers).toEqual([
      { cash: 1, equity: 2 },
      [{ symbol: 'AAPL', qty: 3 }],
      order,
      order,
      undefined,
    ]);
  });
});
