import { describe, expect, it } from 'vitest';
import { InMemoryStateStore } from '../../../shared/backtest/simulated/in-memory.js';
import { runKey } from '../../../shared/ports/index.js';

describe('InMemoryStateStore', () => {
  it('hands back the very value that was put, and undefined for a key never put', async () => {
    const store = new InMemoryStateStore();
    const portfolio = { lots: [] };
    await store.put('portfolio', portfolio);

    expect(await store.get('portfolio')).toBe(portfolio);
    expect(await store.get('market-state')).toBeUndefined();
    expect(await store.get(runKey('2024-01-02', 'day'))).toBeUndefined();
  });

  it('keeps the last value put under a key', async () => {
    const store = new InMemoryStateStore();
    await store.put(runKey('2024-01-02', 'day'), 1);
    await store.put(runKey('2024-01-02', 'day'), 2);

    expect(await store.get(runKey('2024-01-02', 'day'))).toBe(2);
  });

  it('drops the runs’ artefacts and keeps the documents', async () => {
    const store = new InMemoryStateStore();
    await store.put('market-state', 'market');
    await store.put('portfolio', 'portfolio');
    await store.put(runKey('2024-01-02', 'day'), 'day');
    await store.put(runKey('2024-01-02', 'report'), 'report');

    store.deleteRuns();

    expect(await store.get('market-state')).toBe('market');
    expect(await store.get('portfolio')).toBe('portfolio');
    expect(await store.get(runKey('2024-01-02', 'day'))).toBeUndefined();
    expect(await store.get(runKey('2024-01-02', 'report'))).toBeUndefined();
  });
});
