import { parentPort, workerData } from 'node:worker_threads';
import { evaluateTask, type Task } from './evaluate.js';
import { loadSpecHistory } from './load.js';
import type { ResearchSpec } from './spec.js';

// One worker thread of the pool: loads the data once, then runs the tasks it is sent one at a time
const spec = workerData.spec as ResearchSpec;
const history = await loadSpecHistory(spec);
const port = parentPort!;
port.on('message', async (task: Task) => {
  try {
    port.postMessage({ result: await evaluateTask(history, spec, task) });
  } catch (error) {
    port.postMessage({ error: (error as Error).message, task: task.index });
  }
});
port.postMessage({ ready: true });
