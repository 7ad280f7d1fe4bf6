import * as z from 'zod';
import { InvalidInputError } from '../domain/errors.js';
import type { ObjectStore } from '../ports/index.js';
import type { Task, TaskMetrics, TaskResult } from './evaluate.js';

/** Slice `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Evaluates tasks in any order and returns their results (in-process, or on worker threads). */
export type Evaluator = (tasks: readonly Task[]) => Promise<TaskResult[]>;

/** Parses `--shard i/n`. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InvalidInputError(`--shard ${text}: expected i/n with 1 <= i <= n, e.g. 2/4`);
  }
  return { index, count };
}

/** The tasks of one shard: every n-th, so that slow and fast regions of a grid spread evenly. */
export const shardTasks = (tasks: readonly Task[], { index, count }: Shard): Task[] =>
  tasks.filter((_, i) => i % count === index - 1);

/** The object key a shard's results are stored under. */
export const shardKey = (prefix: string, { index, count }: Shard): string =>
  `${prefix}shards/shard-${index}-of-${count}.json`;

const TaskResultSchema = z.object({
  index: z.number().int().nonnegative(),
  combination: z.number().int().nonnegative(),
  params: z.record(z.string(), z.unknown()),
  period: z.object({ from: z.string(), to: z.string() }),
  metrics: z.record(z.string(), z.unknown()),
  equity: z.object({ dates: z.array(z.string()), values: z.array(z.number()) }).optional(),
});

const ShardDocumentSchema = z.object({
  fingerprint: z.string(),
  shard: z.object({ index: z.number().int(), count: z.number().int() }),
  results: z.array(TaskResultSchema),
});

/** Runs one shard's tasks and stores their results; the Fargate task runs exactly this. */
export async function runShard(options: {
  readonly tasks: readonly Task[];
  readonly shard: Shard;
  readonly fingerprint: string;
  readonly store: ObjectStore;
  readonly prefix?: string;
  readonly evaluate: Evaluator;
}): Promise<{ key: string; results: TaskResult[] }> {
  const { shard, fingerprint, store, prefix = '' } = options;
  const results = byIndex(await options.evaluate(shardTasks(options.tasks, shard)));
  const key = shardKey(prefix, shard);
  await store.put(key, JSON.stringify({ fingerprint, shard, results }));
  return { key, results };
}

/**
 * The results of all `count` shards of a run, in task order: what one unsharded run gives. Fails on
 * a missing shard, a shard of another spec, or a task missing or twice.
 */
export async function mergeShards(options: {
  readonly tasks: readonly Task[];
  readonly count: number;
  readonly fingerprint: string;
  readonly store: ObjectStore;
  readonly prefix?: string;
}): Promise<TaskResult[]> {
  const { tasks, count, fingerprint, store, prefix = '' } = options;
  const results: TaskResult[] = [];
  for (let index = 1; index <= count; index++) {
    const key = shardKey(prefix, { index, count });
    const text = await store.get(key);
    if (text === undefined) throw new InvalidInputError(`shard ${index}/${count} missing: ${key}`);
    const document = ShardDocumentSchema.parse(JSON.parse(text));
    if (document.fingerprint !== fingerprint) {
      throw new InvalidInputError(`${key} was run from another spec (${document.fingerprint})`);
    }
    for (const result of document.results) {
      results.push({ ...result, metrics: result.metrics as TaskMetrics } as TaskResult);
    }
  }
  const merged = byIndex(results);
  const expected = tasks.map((t) => t.index).join(',');
  if (merged.map((r) => r.index).join(',') !== expected) {
    throw new InvalidInputError(
      `the ${count} shards hold tasks ${merged.length} of ${tasks.length}, not each exactly once`,
    );
  }
  return merged;
}

const byIndex = (results: readonly TaskResult[]): TaskResult[] =>
  [...results].sort((a, b) => a.index - b.index);
