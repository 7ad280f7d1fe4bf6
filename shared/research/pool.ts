import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { TradingError } from '../domain/errors.js';
import type { MarketHistory } from '../domain/market/history.js';
import { evaluateTask, type Task, type TaskResult } from './evaluate.js';
import type { Evaluator } from './shards.js';
import type { ResearchSpec } from './spec.js';

export interface PoolOptions {
  /** Worker threads; 1 runs in this thread. Defaults to the machine's cores */
  readonly workers?: number;
  /** Called as each task finishes, for progress bars */
  readonly onDone?: (done: number, total: number) => void;
  /** Called as each task finishes with the heap of the thread that ran it, for the bench */
  readonly onHeap?: (report: { readonly worker: number; readonly heapUsed: number }) => void;
}

/**
 * Runs tasks on worker threads (or in-process with one worker); results come back in task order.
 *
 * The commands that run a pool (npm run sweep and walkforward, the Fargate task) start Node with
 * --single-threaded. A pool keeps every core busy, so V8's concurrent GC and compiler threads only
 * take turns with the workers: on 2 cores, 2 workers ran 16 backtests in 7.9-8.7 s with the flag
 * and 9.2-10.6 s without (CPU 16.1-17.1 s against 18.3-20.8 s). Workers cannot be given the flag
 * on their own: a V8 flag is the process's, and setting it at run time crashes the first GC.
 */
export function poolEvaluator(
  spec: ResearchSpec,
  history: MarketHistory,
  options: PoolOptions = {},
): Evaluator {
  const workers = options.workers ?? availableParallelism();
  return async (tasks) => {
    const results =
      workers <= 1 || tasks.length <= 1
        ? await inProcess(spec, history, tasks, options)
        : await onThreads(spec, history, tasks, Math.min(workers, tasks.length), options);
    return results.sort((a, b) => a.index - b.index);
  };
}

async function inProcess(
  spec: ResearchSpec,
  history: MarketHistory,
  tasks: readonly Task[],
  { onDone, onHeap }: PoolOptions,
): Promise<TaskResult[]> {
  const results: TaskResult[] = [];
  for (const task of tasks) {
    results.push(await evaluateTask(history, spec, task));
    onDone?.(results.length, tasks.length);
    if (onHeap) onHeap({ worker: 0, heapUsed: heapInUse() });
  }
  return results;
}

// Under tsx the entry is TypeScript, which a worker thread loads through a small bootstrap
const TS = import.meta.url.endsWith('.ts');
const entry = new URL(TS ? './worker.ts' : './worker.js', import.meta.url);

// The history goes to each worker as a copy of its arrays (a few MB, milliseconds), so that a
// worker starts on tasks at once instead of parsing the data folder again
function spawn(spec: ResearchSpec, history: MarketHistory): Worker {
  return TS
    ? new Worker(new URL('./ts-worker.mjs', import.meta.url), {
        workerData: { spec, history, entry: entry.href },
      })
    : new Worker(entry, { workerData: { spec, history } });
}

/** The heap in use, after a full collection when the process runs with --expose-gc (the bench). */
export function heapInUse(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return getHeapStatistics().used_heap_size;
}

/** Each worker asks for the next task when it is done with one, so a slow task holds up no other. */
function onThreads(
  spec: ResearchSpec,
  history: MarketHistory,
  tasks: readonly Task[],
  count: number,
  { onDone, onHeap }: PoolOptions,
): Promise<TaskResult[]> {
  return new Promise((resolve, reject) => {
    const results: TaskResult[] = [];
    const threads: Worker[] = [];
    let next = 0;
    let failed = false;
    const stop = (error?: Error) => {
      for (const thread of threads) void thread.terminate();
      if (error) {
        failed = true;
        reject(error);
      } else resolve(results);
    };
    for (let w = 0; w < count; w++) {
      const thread = spawn(spec, history);
      threads.push(thread);
      const feed = () => {
        if (next < tasks.length) thread.postMessage(tasks[next++]);
      };
      type Message = { ready?: true; result?: TaskResult; heapUsed?: number; error?: string };
      thread.on('message', (message: Message) => {
        if (failed) return;
        if (message.error !== undefined) return stop(new TradingError(message.error));
        if (message.result) {
          results.push(message.result);
          onDone?.(results.length, tasks.length);
          if (message.heapUsed !== undefined) onHeap?.({ worker: w, heapUsed: message.heapUsed });
          if (results.length === tasks.length) return stop();
        }
        feed();
      });
      thread.on('error', (error) => stop(error));
    }
  });
}
