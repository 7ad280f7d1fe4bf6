import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { InMemoryStateStore } from '../../../shared/backtest/simulated/in-memory.js';
import { runKey, StateConflictError } from '../../../shared/ports/index.js';

const any = z.unknown();

describe('InMemoryStateStore', () => {
  it('hands back the very value that was put, with its version', async () => {
    const store = new InMemoryStateStore();
    const portfolio = { lots: [] };
    expect(await store.put('portfolio/2024-01-02', portfolio, null)).toBe(1);
    const stored = await store.get('portfolio/2024-01-02', any);
    expect(stored?.value).toBe(portfolio);
    expect(stored?.version).toBe(1);
    expect(await store.get(runKey('2024-01-02', 'day'), any)).toBeUndefined();
  });

  it('refuses a write whose expected version is not the stored one', async () => {
    const store = new InMemoryStateStore();
    await store.put(runKey('2024-01-02', 'day'), 1, null);
    await expect(store.put(runKey('2024-01-02', 'day'), 2, null)).rejects.toThrow(
      StateConflictError,
    );
    expect(await store.put(runKey('2024-01-02', 'day'), 2, 1)).toBe(2);
    expect((await store.get(runKey('2024-01-02', 'day'), any))?.value).toBe(2);
  });

  it('finds the newest of a series strictly before a date, and lists a series in key order', async () => {
    const store = new InMemoryStateStore();
    for (const date of ['2024-01-03', '2024-01-02', '2024-01-05']) {
      await store.put(`equity/${date}`, date, null);
    }
    expect((await store.latestBefore('equity', '2024-01-05', any))?.id).toBe('2024-01-03');
    expect(await store.latestBefore('equity', '2024-01-02', any)).toBeUndefined();
    expect((await store.list('equity', any)).map((d) => d.id)).toEqual([
      '2024-01-02',
      '2024-01-03',
      '2024-01-05',
    ]);
  });

  it('forgets a finished run and what came before it, keeping the journal and the equity', async () => {
    const store = new InMemoryStateStore();
    await store.put(runKey('2024-01-02', 'day'), 'day', null);
    await store.put('portfolio/2024-01-01', 'old', null);
    await store.put('portfolio/2024-01-02', 'closing', null);
    await store.put('order/2024-01-02-A-buy-entry', 'order', null);
    await store.put('equity/2024-01-02', 'equity', null);
    await store.putSnapshot('market-state/2024-01-01', 'old market');
    await store.putSnapshot('market-state/2024-01-02', 'market');
    await store.put(runKey('2024-01-02', 'features'), 'features', null);

    store.forgetRun('2024-01-02');

    expect(await store.get(runKey('2024-01-02', 'day'), any)).toBeUndefined();
    expect(await store.get('portfolio/2024-01-01', any)).toBeUndefined();
    expect(await store.getSnapshot('market-state/2024-01-01', any)).toBeUndefined();
    expect(await store.get(runKey('2024-01-02', 'features'), any)).toBeUndefined();
    expect((await store.get('portfolio/2024-01-02', any))?.value).toBe('closing');
    expect(await store.getSnapshot('market-state/2024-01-02', any)).toBe('market');
    expect((await store.get('order/2024-01-02-A-buy-entry', any))?.value).toBe('order');
    expect((await store.get('equity/2024-01-02', any))?.value).toBe('equity');
  });
});
