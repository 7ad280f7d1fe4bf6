/** Sweep benchmarks: scaling from 1 to 2 workers, a 100-combination sweep, heap per worker. */
import { spawnSync } from 'node:child_process';
import { median } from './measure.js';
import { type BenchRow, benchCells, formatNumber, formatRatio, row } from './table.js';

/** 5 × 5 × 4 = 100 combinations of the parameters a user sweeps first. */
export const SWEEP_GRID = {
  'strategies.rsi-mean-reversion.oversold': [20, 22.5, 25, 27.5, 30],
  'sizing.stopAtrMultiple': [1.5, 2, 2.5, 3, 3.5],
  'risk.heatShare.ml-momentum': [1, 0.5, 0.25, 0],
};
export const FULL_GRID = 100;

/** What one sweep child measured. */
export interface SweepRun {
  readonly workers: number;
  readonly combinations: number;
  readonly seconds: number;
  /** Each worker's heap (MiB) after each of its tasks, in the order it ran them */
  readonly heapMbByWorker: readonly (readonly number[])[];
  readonly peakRssMb: number;
  /** CPU the whole process used: on a machine others share, the wall time alone misleads */
  readonly cpuSeconds: number;
}

/** The sweep numbers the bench reports. */
export interface SweepBench {
  /** Fastest runs of the grid on 1 and on 2 workers */
  readonly one: SweepRun;
  readonly two: SweepRun;
  /** Speed-up per core: (1-worker time / 2-worker time) / 2; 1 is linear */
  readonly scaling: number;
  /**
   * CPU per combination on 1 worker over that on 2: the work parallelism adds (worker start-up,
   * a second JIT warm-up), whatever else the machine runs. Wall-time scaling cannot beat it
   */
  readonly cpuEfficiency: number;
  /** A smaller grid on 2 workers again under --expose-gc, for the heap (its time is not used) */
  readonly heap: SweepRun;
  /** 100 combinations on 2 workers: `two` when the grid is the full one, else projected */
  readonly fullSeconds: number;
  readonly projected: boolean;
  /** Heap growth of a worker from its first tasks to its last, worst worker (MiB) */
  readonly heapGrowthMb: number;
  readonly heapFirstMb: number;
  readonly heapLastMb: number;
}

/**
 * Runs one sweep in a fresh process. With `heap`, under --expose-gc: each worker's heap is then
 * measured after a full collection, what its tasks keep rather than where its garbage stood.
 */
export function sweepChild(
  bundle: string,
  root: string,
  workers: number,
  combinations: number,
  heap = false,
): SweepRun {
  // As npm run sweep and the Fargate task start Node (see shared/research/pool.ts)
  const flags = ['--single-threaded', ...(heap ? ['--expose-gc'] : [])];
  const args = [...flags, bundle, String(workers), String(combinations)];
  const child = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`sweep-child failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as SweepRun;
}

// A worker's heap, flat or not: the median of its first and last thirds of tasks, so one
// collection landing just before or after a task does not decide it
function heapDrift(heaps: readonly number[]): { first: number; last: number } {
  const third = Math.max(1, Math.floor(heaps.length / 3));
  return { first: median(heaps.slice(0, third)), last: median(heaps.slice(-third)) };
}

// The full grid's time through two smaller 2-worker runs: a fixed start-up and warm-up plus a cost
// per combination
function projectFull(run: SweepRun, smaller: SweepRun): number {
  const perCombination =
    (run.seconds - smaller.seconds) / (run.combinations - smaller.combinations);
  return run.seconds + perCombination * (FULL_GRID - run.combinations);
}

/**
 * Times the grid on 1 and 2 workers in alternating fresh processes (the fastest of each counts:
 * a busy spell on the machine only slows a run down). The grid is the full 100 combinations, the
 * sweep a user runs, because every worker pays its own JIT warm-up (its first two backtests take
 * 2-3 s against ~0.65 s warm): on 16 combinations that is a quarter of a 2-worker run and holds
 * scaling near 0.8 whatever the pool does, on 100 it is a few percent. A smaller grid (--quick)
 * projects the 100-combination time from its own run and one of half its size. The heap is
 * measured in a run of its own: a full collection after every task costs a third of a task's CPU,
 * which no timing may pay.
 */
export function benchSweeps(options: {
  readonly bundle: string;
  readonly root: string;
  readonly rounds: number;
  readonly grid: number;
  readonly heapGrid: number;
  readonly log: (line: string) => void;
}): SweepBench {
  const { bundle, root, rounds, grid, heapGrid, log } = options;
  const ones: SweepRun[] = [];
  const twos: SweepRun[] = [];
  for (let round = 0; round < rounds; round++) {
    log(`  round ${round + 1}: ${grid} combinations on 1 worker, then on 2`);
    ones.push(sweepChild(bundle, root, 1, grid));
    twos.push(sweepChild(bundle, root, 2, grid));
  }
  const fastest = (runs: readonly SweepRun[]) =>
    runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const one = fastest(ones);
  const two = fastest(twos);
  log(`  ${heapGrid} combinations on 2 workers with a collection after each task`);
  const heap = sweepChild(bundle, root, 2, heapGrid, true);
  const projected = two.combinations < FULL_GRID;
  const fullSeconds = projected
    ? projectFull(two, sweepChild(bundle, root, 2, grid >> 1))
    : two.seconds;
  const drifts = heap.heapMbByWorker.map(heapDrift);
  const worst = drifts.reduce((a, b) => (b.last - b.first > a.last - a.first ? b : a));
  return {
    one,
    two,
    scaling: one.seconds / two.seconds / 2,
    cpuEfficiency: one.cpuSeconds / two.cpuSeconds,
    heap,
    fullSeconds,
    projected,
    heapGrowthMb: worst.last - worst.first,
    heapFirstMb: worst.first,
    heapLastMb: worst.last,
  };
}

/** The sweep targets of the issue: scaling per core, 100 combinations, a flat worker heap. */
export const SWEEP_TARGETS = {
  scalingPerCore: 0.9,
  fullGridSeconds: 60,
  /** The last third of a worker's tasks may end at most this much above its first third */
  heapGrowthFraction: 0.2,
};

/** Rows for out/bench.json, the sweep table and the targets' lines, from one SweepBench. */
export function sweepSection(bench: SweepBench): {
  rows: BenchRow[];
  cells: string[][];
  targets: string[][];
  context: string;
} {
  const { one, two } = bench;
  const fullName = `sweep ${FULL_GRID} combinations, 2 workers${bench.projected ? ' (projected)' : ''}`;
  const heapLimit = bench.heapFirstMb * (1 + SWEEP_TARGETS.heapGrowthFraction);
  const rows = [
    row(`sweep ${one.combinations} combinations, 1 worker`, 's', one.seconds, null, null),
    ...(bench.projected
      ? [row(`sweep ${two.combinations} combinations, 2 workers`, 's', two.seconds, null, null)]
      : []),
    row(
      'sweep scaling per core, 1 → 2 workers',
      '×',
      bench.scaling,
      'target',
      SWEEP_TARGETS.scalingPerCore,
    ),
    row('sweep CPU efficiency, 1 → 2 workers', '×', bench.cpuEfficiency, null, null),
    row(fullName, 's', bench.fullSeconds, 'target', SWEEP_TARGETS.fullGridSeconds),
    row('sweep worker heap, first third of its tasks', 'MB', bench.heapFirstMb, null, null),
    row('sweep worker heap, last third of its tasks', 'MB', bench.heapLastMb, 'target', heapLimit),
  ];
  const cells = benchCells(rows);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const targets = [
    [
      `sweep scaling ≥ ${SWEEP_TARGETS.scalingPerCore}× linear per core`,
      'fastest runs',
      formatRatio(bench.scaling),
      met(bench.scaling >= SWEEP_TARGETS.scalingPerCore),
      '—',
      '—',
    ],
    [
      `${FULL_GRID}-combination sweep ≤ ${SWEEP_TARGETS.fullGridSeconds} s on 2 workers`,
      bench.projected
        ? `projected from ${two.combinations >> 1} and ${two.combinations}`
        : 'fastest run',
      `${formatNumber(bench.fullSeconds)} s`,
      met(bench.fullSeconds <= SWEEP_TARGETS.fullGridSeconds),
      '—',
      '—',
    ],
    [
      `worker heap flat (last third ≤ first + ${SWEEP_TARGETS.heapGrowthFraction * 100} %)`,
      'worst worker',
      `${formatNumber(bench.heapFirstMb)} → ${formatNumber(bench.heapLastMb)} MB`,
      met(bench.heapLastMb <= heapLimit),
      '—',
      '—',
    ],
  ];
  // CPU ÷ wall: above 1 on one worker, V8's collector and compiler threads use the other core
  const cpu = (run: SweepRun) =>
    `${run.cpuSeconds.toFixed(1)} s CPU in ${run.seconds.toFixed(1)} s (${(run.cpuSeconds / run.seconds).toFixed(2)} cores)`;
  const context =
    `sweeps over data/ (36 symbols, 2014-2023, every strategy), fresh processes, bundled workers: ` +
    `${one.combinations} combinations on 1 worker ${cpu(one)}, on 2 ${cpu(two)}, ` +
    `peak RSS ${two.peakRssMb.toFixed(0)} MB; ` +
    `worker heaps after each task and a full collection (MB): ${bench.heap.heapMbByWorker.map((h) => h.map((mb) => mb.toFixed(0)).join(' ')).join(' | ')}`;
  return { rows, cells, targets, context };
}
