import { availableParallelism } from 'node:os';
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
}

/** Runs tasks on worker threads (or in-process with one worker); results come back in task order. */
export function poolEvaluator(
  spec: ResearchSpec,
  history: MarketHistory,
  options: PoolOptions = {},
): Evaluator {
  const workers = options.workers ?? availableParallelism();
  return async (tasks) => {
    const results =
      workers <= 1 || tasks.length <= 1
        ? await inProcess(spec, history, tasks, options.onDone)
        : await onThreads(spec, tasks, Math.min(workers, tasks.length), options.onDone);
    return results.sort((a, b) => a.index - b.index);
  };
}

async function inProcess(
  spec: ResearchSpec,
  history: MarketHistory,
  tasks: readonly Task[],
  onDone?: PoolOptions['onDone'],
): Promise<TaskResult[]> {
  const results: TaskResult[] = [];
  for (const task of tasks) {
    results.push(await evaluateTask(history, spec, task));
    onDone?.(results.length, tasks.length);
  }
  return results;
}

// Under tsx the entry is TypeScript, which a worker thread loads through a small bootstrap
const TS = import.meta.url.endsWith('.ts');
const entry = new URL(TS ? './worker.ts' : './worker.js', import.meta.url);

function spawn(spec: ResearchSpec): Worker {
  return TS
    ? new Worker(new URL('./ts-worker.mjs', import.meta.url), {
        workerData: { spec, entry: entry.href },
      })
    : new Worker(entry, { workerData: { spec } });
}

/** Each worker asks for the next task when it is done with one, so a slow task holds up no other. */
function onThreads(
  spec: ResearchSpec,
  tasks: readonly Task[],
  count: number,
  onDone?: PoolOptions['onDone'],
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
      const thread = spawn(spec);
      threads.push(thread);
      const feed = () => {
        if (next < tasks.length) thread.postMessage(tasks[next++]);
      };
      thread.on('message', (message: { ready?: true; result?: TaskResult; error?: string }) => {
        if (failed) return;
        if (message.error !== undefined) return stop(new TradingError(message.error));
        if (message.result) {
          results.push(message.result);
          onDone?.(results.length, tasks.length);
          if (results.length === tasks.length) return stop();
        }
        feed();
      });
      thread.on('error', (error) => stop(error));
    }
  });
}
