import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configJson } from '../../shared/adapters/config-file.js';
import { FolderObjectStore } from '../../shared/adapters/folder-object-store.js';
import { ConfigError } from '../../shared/domain/errors.js';
import type { MarketHistory } from '../../shared/domain/market/history.js';
import type { Task, TaskResult } from '../../shared/research/evaluate.js';
import { poolEvaluator } from '../../shared/research/pool.js';
import { type Evaluator, mergeShards, parseShard, runShard } from '../../shared/research/shards.js';
import { parseSpec, type ResearchSpec, specFingerprint } from '../../shared/research/spec.js';
import { outputTimestamp } from '../cli.js';

/** A research spec file, parsed; a bad field fails naming its path. */
export async function readSpec(path: string | undefined): Promise<ResearchSpec> {
  if (path === undefined) throw new ConfigError('--spec FILE is required');
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read spec ${path}: ${error.code ?? error.message}`);
  });
  return parseSpec(configJson(text, path), path);
}

/** --out, or a new folder under out/ named after the command. */
export const outFolder = (out: string | undefined, command: string): string =>
  resolve(out ?? join('out', `${command}-${outputTimestamp()}`));

/** A progress bar on stderr when it is a terminal; cli-progress is loaded only then. */
export async function progress(
  label: string,
  unit: string,
): Promise<{ update: (done: number, total: number) => void; stop: () => void } | null> {
  if (!process.stderr.isTTY) return null;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

/** Parses a positive integer option. */
export function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`--${name} ${text}: expected a positive integer`);
  }
  return value;
}

/** The options of the commands that backtest the shipped layout without a spec. */
export const BACKTEST_OPTIONS = {
  data: { type: 'string', default: 'data' },
  config: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The options every grid command takes besides its own. */
export const GRID_OPTIONS = {
  spec: { type: 'string' },
  workers: { type: 'string' },
  out: { type: 'string' },
  shard: { type: 'string' },
  merge: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Runs a command's grid tasks on the pool, or with `--shard i/n` one slice of them into the out
 * folder's object store (and returns null), or with `--merge n` reads the n stored slices instead.
 */
export async function gridResults(options: {
  readonly values: { workers?: string; shard?: string; merge?: string };
  readonly spec: ResearchSpec;
  readonly history: MarketHistory;
  readonly tasks: readonly Task[];
  readonly out: string;
  readonly unit: string;
}): Promise<{ results: TaskResult[]; evaluate: Evaluator } | null> {
  const { values, spec, history, tasks, out } = options;
  const workers = positiveInt('workers', values.workers);
  const store = new FolderObjectStore(out);
  const fingerprint = specFingerprint(spec);
  const bar = await progress(options.unit, 'backtests');
  const evaluate = poolEvaluator(spec, history, {
    ...(workers !== undefined && { workers }),
    ...(bar && { onDone: bar.update }),
  });
  try {
    if (values.shard !== undefined) {
      const shard = parseShard(values.shard);
      const { key, results } = await runShard({ tasks, shard, fingerprint, store, evaluate });
      bar?.stop();
      console.log(
        `shard ${shard.index}/${shard.count}: ${results.length} of ${tasks.length} tasks`,
      );
      console.log(`wrote ${store.pathOf(key)}`);
      return null;
    }
    const merge = positiveInt('merge', values.merge);
    const results =
      merge === undefined
        ? await evaluate(tasks)
        : await mergeShards({ tasks, count: merge, fingerprint, store });
    return { results, evaluate };
  } finally {
    bar?.stop();
  }
}
