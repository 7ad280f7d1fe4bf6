/**
 * node out/bench/sweep-child.mjs <workers> <combinations>
 * One sweep over the shipped data in a fresh process, timed from the pool's start (its workers
 * start and take a copy of the history, as in npm run sweep) to the last result; JSON on stdout. The
 * combinations are drawn under a seed from the 100 of SWEEP_GRID, so every size samples the same
 * mix of fast and slow ones.
 */
import { loadSpecHistory } from '../../shared/research/load.js';
import { poolEvaluator } from '../../shared/research/pool.js';
import { parseSpec } from '../../shared/research/spec.js';
import { sweepTasks } from '../../shared/research/sweep.js';
import { SWEEP_GRID, type SweepRun } from './sweeps.js';

const [workersText, combinationsText] = process.argv.slice(2);
const workers = Number(workersText);
const combinations = Number(combinationsText);
if (!(workers >= 1 && combinations >= 1)) {
  throw new Error(`usage: sweep-child <workers> <combinations>, got ${process.argv.slice(2)}`);
}
const spec = parseSpec({ name: 'bench', grid: SWEEP_GRID, sample: combinations, seed: 1 });
const history = await loadSpecHistory(spec);
const heapByWorker: number[][] = Array.from({ length: workers }, () => []);
const evaluate = poolEvaluator(spec, history, {
  workers,
  onHeap: ({ worker, heapUsed }) => heapByWorker[worker]!.push(heapUsed / 2 ** 20),
});
const started = performance.now();
const results = await evaluate(sweepTasks(spec));
const usage = process.resourceUsage();
const run: SweepRun = {
  workers,
  combinations: results.length,
  seconds: (performance.now() - started) / 1000,
  heapMbByWorker: heapByWorker.filter((heaps) => heaps.length > 0),
  peakRssMb: usage.maxRSS / 1024,
  cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
};
console.log(JSON.stringify(run));
