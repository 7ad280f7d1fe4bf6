/** Timing helpers: warm up, then repeat within a time budget and keep the median. */

/** How long to spend on one measurement. */
export interface SampleOptions {
  /** Untimed runs first, so that the JIT has compiled the code being timed */
  readonly warmups?: number;
  readonly minSamples?: number;
  readonly maxSamples?: number;
  /** Stop adding samples past minSamples once this much time is spent, warm-ups included */
  readonly budgetMs?: number;
}

/** Every timed sample, in milliseconds, and their median. */
export interface Timing {
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
  /** The first warm-up run: what a cold process pays */
  readonly firstMs: number;
}

// No forced gc() between samples: with a full collection before each one, code that builds its
// output with push() ran 2-5× slower here than in a plain process (@ixjb94/indicators sma 30-60
// instead of ~160 M bars/s). Every contender pays for its own garbage, as it would in use

// Results are folded in here so that no timed call can be optimised away
let sink = 0;

/** Keeps a value alive; returns the running checksum. */
export function consume(value: number): number {
  sink += Number.isFinite(value) ? value : 1;
  return sink;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The timings of several rounds as one: every sample, their median, the first round's cold run. */
export function pooledTiming(rounds: readonly Timing[]): Timing {
  const [first] = rounds;
  if (first === undefined) throw new Error('no timings to pool');
  const samplesMs = rounds.flatMap((round) => round.samplesMs);
  return { medianMs: median(samplesMs), samplesMs, firstMs: first.firstMs };
}

/** Times an async function: warm-ups, then samples until the budget is spent. */
export async function sampleAsync(
  run: () => Promise<unknown>,
  options: SampleOptions = {},
): Promise<Timing> {
  const { warmups = 1, minSamples = 3, maxSamples = 15, budgetMs = 2_000 } = options;
  const started = performance.now();
  let firstMs = Number.NaN;
  for (let i = 0; i < warmups; i++) {
    const t = performance.now();
    await run();
    if (i === 0) firstMs = performance.now() - t;
  }
  const samplesMs: number[] = [];
  while (
    samplesMs.length < minSamples ||
    (samplesMs.length < maxSamples && performance.now() - started < budgetMs)
  ) {
    const t = performance.now();
    await run();
    samplesMs.push(performance.now() - t);
  }
  return { medianMs: median(samplesMs), samplesMs, firstMs: firstMs || samplesMs[0]! };
}

/**
 * Times several synchronous functions (each returns a checksum) in interleaved rounds, so that a
 * busy spell on the machine hits every contender alike instead of whichever ran then. Each is
 * warmed up `warmups` times (once if a run is slow), then takes part in rounds until it has
 * `minSamples` and has spent its budget or reached `maxSamples`: a slow library stops after
 * `minSamples` while the fast ones go on.
 */
export function sampleInterleaved(
  runs: readonly (() => number)[],
  options: SampleOptions = {},
): Timing[] {
  const { warmups = 2, minSamples = 3, maxSamples = 15, budgetMs = 1_500 } = options;
  const spentMs = runs.map(() => 0);
  const firstMs = runs.map((run, k) => {
    let first = Number.NaN;
    for (let i = 0; i < warmups; i++) {
      const t = performance.now();
      consume(run());
      const ms = performance.now() - t;
      spentMs[k]! += ms;
      if (i === 0) first = ms;
      // One slow warm-up is enough: more would only eat the budget
      if (ms > budgetMs / 5) break;
    }
    return first;
  });
  const samplesMs = runs.map((): number[] => []);
  const wantsMore = (k: number) =>
    samplesMs[k]!.length < minSamples ||
    (samplesMs[k]!.length < maxSamples && spentMs[k]! < budgetMs);
  while (runs.some((_, k) => wantsMore(k))) {
    runs.forEach((run, k) => {
      if (!wantsMore(k)) return;
      const t = performance.now();
      consume(run());
      const ms = performance.now() - t;
      samplesMs[k]!.push(ms);
      spentMs[k]! += ms;
    });
  }
  return runs.map((_, k) => ({
    medianMs: median(samplesMs[k]!),
    samplesMs: samplesMs[k]!,
    firstMs: firstMs[k]!,
  }));
}
