import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../../shared/adapters/folder-object-store.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import type { TaskResult } from '../../../shared/research/evaluate.js';
import { loadSpecHistory } from '../../../shared/research/load.js';
import { poolEvaluator } from '../../../shared/research/pool.js';
import { mergeShards, parseShard, runShard, shardTasks } from '../../../shared/research/shards.js';
import { parseSpec, type ResearchSpec, specFingerprint } from '../../../shared/research/spec.js';
import { sweepTasks } from '../../../shared/research/sweep.js';
import { generatedDataFolder } from './generated-data.js';

let work: string;
let spec: ResearchSpec;
let history: MarketHistory;
let unsharded: TaskResult[];

beforeAll(async () => {
  const folder = await generatedDataFolder();
  work = folder.work;
  spec = parseSpec({
    data: folder.data,
    period: { from: '2020-01-01' },
    config: { strategies: { enabled: ['rsi-mean-reversion', 'volatility-breakout'] } },
    // Five combinations: shards of 2 and 3 are uneven
    grid: { 'strategies.rsi-mean-reversion.oversold': [25, 30, 35, 40, 45] },
  });
  history = await loadSpecHistory(spec);
  unsharded = await poolEvaluator(spec, history, { workers: 1 })(sweepTasks(spec));
});

describe('the shard runner', () => {
  it('runs every combination once and the grid changes the results', () => {
    expect(unsharded.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(unsharded.map((r) => r.metrics.trades)).size).toBeGreaterThan(1);
  });

  it.each([1, 2, 3])('merges %i shards to exactly the unsharded results', async (count) => {
    const store = new FolderObjectStore(join(work, `shards-${count}`));
    const tasks = sweepTasks(spec);
    const fingerprint = specFingerprint(spec);
    const evaluate = poolEvaluator(spec, history, { workers: 1 });
    for (let index = 1; index <= count; index++) {
      await runShard({ tasks, shard: { index, count }, fingerprint, store, evaluate });
    }
    expect(await mergeShards({ tasks, count, fingerprint, store })).toEqual(unsharded);
  });

  it('slices the tasks into disjoint shards that cover them all', () => {
    const tasks = sweepTasks(spec);
    const slices = [1, 2, 3].map((index) => shardTasks(tasks, { index, count: 3 }));
    expect(
      slices
        .flat()
        .map((t) => t.index)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(slices.map((s) => s.length)).toEqual([2, 2, 1]);
  });

  it('refuses a missing shard, a shard of another spec and a bad --shard', async () => {
    const store = new FolderObjectStore(join(work, 'refusals'));
    const tasks = sweepTasks(spec);
    const evaluate = poolEvaluator(spec, history, { workers: 1 });
    await runShard({ tasks, shard: { index: 1, count: 2 }, fingerprint: 'a', store, evaluate });
    await expect(mergeShards({ tasks, count: 2, fingerprint: 'a', store })).rejects.toThrow(
      /shard 2\/2 missing/,
    );
    await runShard({ tasks, shard: { index: 2, count: 2 }, fingerprint: 'b', store, evaluate });
    await expect(mergeShards({ tasks, count: 2, fingerprint: 'a', store })).rejects.toThrow(
      /another spec/,
    );
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'x']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });
});
