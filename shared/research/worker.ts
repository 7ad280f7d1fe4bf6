import { parentPort, workerData } from 'node:worker_threads';
import type { MarketHistory } from '../domain/market/history.js';
import { evaluateTask, type Task } from './evaluate.js';
import { heapInUse } from './pool.js';
import type { ResearchSpec } from './spec.js';

// One worker thread of the pool: runs the tasks it is sent one at a time on the pool's history
const spec = workerData.spec as ResearchSpec;
const history = workerData.history as MarketHistory;
const port = parentPort!;
port.on('message', async (task: Task) => {
  try {
    const result = await evaluateTask(history, spec, task);
    // This thread's own heap after the task: the bench checks that it stays flat over a grid
    port.postMessage({ result, heapUsed: heapInUse() });
  } catch (error) {
    port.postMessage({ error: (error as Error).message, task: task.index });
  }
});
port.postMessage({ ready: true });
