/**
 * Daily-run benchmarks: `npm start` on a warm state folder, a replay window, and each handler's
 * Lambda bundle (its size, and its import and wiring in a fresh process). Every timing is a fresh
 * process of esbuild output under plain node: see docs/performance.md, "Daily run".
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { writeShakableAlpacaRest } from '../../infra/constructs/alpaca-rest.js';
import { LAMBDA_BUNDLING } from '../../infra/constructs/lambda-bundling.js';
import { WORKFLOW_FUNCTIONS } from '../../infra/constructs/workflow-functions.js';
import type { PhasesResult } from './daily-run-phases.js';
import { median } from './measure.js';

/** The dates and windows the daily-run benchmarks run. */
export const DAILY_RUN = {
  /** Run once from an empty state to make the warm folder; the timed runs take the dates after */
  setupDate: '2023-06-14',
  replay: { from: '2023-05-01', to: '2023-06-30' },
  quickReplay: { from: '2023-05-01', to: '2023-05-12' },
  /** The issue's full replay, for the projection */
  fullReplay: { from: '2018-01-01', to: '2023-12-31' },
} as const;

const TIME = '/usr/bin/time';

/** One child process: wall time from spawn to exit, peak RSS, what it printed. */
interface ChildRun {
  readonly seconds: number;
  readonly peakMb: number;
  readonly stdout: string;
}

// Under /usr/bin/time -f '%M' for the peak RSS, as measureProcess in backtests.ts
function runChild(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): ChildRun {
  const started = performance.now();
  const child = spawnSync(TIME, ['-f', '%M', process.execPath, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...(env !== undefined && { env }),
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) {
    throw new Error(
      `node ${args.join(' ')} (in ${cwd}) failed (${child.status}):\n${child.stdout}\n${child.stderr}`,
    );
  }
  const kilobytes = Number(child.stderr.trim().split('\n').at(-1));
  return { seconds, peakMb: kilobytes / 1024, stdout: child.stdout };
}

// A daily run that did not succeed must not be timed as one
function expectSucceeded(run: ChildRun, date: string): ChildRun {
  if (!/^ {2}report {2,}equity/m.test(run.stdout)) {
    throw new Error(`the daily run of ${date} did not report:\n${run.stdout}`);
  }
  return run;
}

// ----------------------------------------------------------------------------------------------
// npm start on a warm .local/

/**
 * A state folder where `setupDate` already ran (from empty: it warms up the market state), as the
 * working directory of a daily run: `.local/` inside it. Runs the daily-run bundle once; that run
 * also fills the page cache for the timed ones.
 */
export function prepareWarmState(dailyRunBundle: string, dataDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-daily-run-'));
  const date = DAILY_RUN.setupDate;
  expectSucceeded(runChild([dailyRunBundle, '--date', date, '--data', dataDir], dir), date);
  return dir;
}

/** One round of `npm start` timings: fresh processes on a copy of the warm folder. */
export interface DailyRunRound {
  readonly dates: readonly string[];
  readonly wallSeconds: readonly number[];
  readonly peakMb: readonly number[];
  /** The next date after them, run by daily-run-phases.mjs: the parts, and its own wall time */
  readonly phases: PhasesResult & { readonly wallMs: number };
}

/**
 * Copies the warm folder, then runs each of `dates` in turn in a fresh process of the daily-run
 * bundle (each a new date, on the state the previous one left), then the date after them in
 * the phases child. The runs' cwd is the copy, so `.local/` is its own.
 */
export function benchDailyRunRound(
  bundles: { dailyRun: string; phases: string },
  warmDir: string,
  dataDir: string,
  dates: readonly string[],
  phasesDate: string,
): DailyRunRound {
  const dir = mkdtempSync(join(tmpdir(), 'bench-daily-run-round-'));
  try {
    cpSync(warmDir, dir, { recursive: true });
    const wallSeconds: number[] = [];
    const peakMb: number[] = [];
    for (const date of dates) {
      const run = expectSucceeded(
        runChild([bundles.dailyRun, '--date', date, '--data', dataDir], dir),
        date,
      );
      wallSeconds.push(run.seconds);
      peakMb.push(run.peakMb);
    }
    const run = runChild([bundles.phases, phasesDate, dataDir], dir);
    const phases = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PhasesResult;
    if (phases.status !== 'succeeded') {
      throw new Error(`the phases run of ${phasesDate} ${phases.status}`);
    }
    return { dates, wallSeconds, peakMb, phases: { ...phases, wallMs: run.seconds * 1000 } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ----------------------------------------------------------------------------------------------
// replay

/** One replay of a window from an empty state, in a fresh process. */
export interface ReplayRun {
  readonly days: number;
  readonly wallSeconds: number;
  /** What replay.ts prints: the days alone, from after the workflow opened (0.1 s resolution) */
  readonly replaySeconds: number;
  readonly peakMb: number;
  /** Each day's time, from the progress reports; the first is less exact (see below) */
  readonly dayMs: readonly number[];
}

/** Runs `replay --from --to` under the progress preload (replay-progress.ts). */
export function benchReplay(
  bundles: { replay: string; progress: string },
  dataDir: string,
  window: { readonly from: string; readonly to: string },
): ReplayRun {
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  try {
    const daysFile = join(dir, 'days.json');
    const run = runChild(
      [
        '--import',
        pathToFileURL(bundles.progress).href,
        bundles.replay,
        ...['--from', window.from, '--to', window.to, '--data', dataDir],
        ...['--state', join(dir, 'state'), '--out', join(dir, 'out')],
      ],
      dir,
      { ...process.env, BENCH_REPLAY_DAYS_FILE: daysFile },
    );
    const said = /replayed (\d+) trading days .* in ([\d.]+) s/.exec(run.stdout);
    if (said === null) throw new Error(`replay printed no result:\n${run.stdout}`);
    const days = Number(said[1]);
    const replaySeconds = Number(said[2]);
    const { dayEndsMs } = JSON.parse(readFileSync(daysFile, 'utf8')) as { dayEndsMs: number[] };
    if (dayEndsMs.length !== days) {
      throw new Error(`replay reported ${dayEndsMs.length} days of ${days}`);
    }
    // The replay's own clock starts after the workflow opened; its end is the last day's report
    const startMs = dayEndsMs.at(-1)! - replaySeconds * 1000;
    const dayMs = dayEndsMs.map((end, i) => end - (i === 0 ? startMs : dayEndsMs[i - 1]!));
    return { days, wallSeconds: run.seconds, replaySeconds, peakMb: run.peakMb, dayMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ----------------------------------------------------------------------------------------------
// handlers as Lambda bundles

/** Everything inlined (the target's), or @aws-sdk/* left to the Lambda runtime's SDK. */
export type HandlerVariant = 'bundled' | 'sdk-external';
export const HANDLER_VARIANTS: readonly HandlerVariant[] = ['bundled', 'sdk-external'];

/** One handler's bundle in one variant. */
export interface HandlerBundle {
  readonly handler: string;
  readonly variant: HandlerVariant;
  readonly file: string;
  readonly bytes: number;
  /** The packages (or shared/, functions/) that make up the bundle, largest first, in bytes */
  readonly parts: readonly (readonly [string, number])[];
}

/**
 * Bundle options as the infra's NodejsFunction sets them (LAMBDA_BUNDLING), for esbuild's API. Like
 * the construct, it first writes the Alpaca SDK's shakable copy that the alias points at.
 */
export const lambdaBuild = (root: string) => {
  writeShakableAlpacaRest(root);
  return {
    ...LAMBDA_BUNDLING,
    bundle: true,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...LAMBDA_BUNDLING.external],
    banner: { js: LAMBDA_BUNDLING.banner },
    alias: Object.fromEntries(
      Object.entries(LAMBDA_BUNDLING.alias).map(([module, path]) => [module, join(root, path)]),
    ),
    logLevel: 'warning',
    metafile: true,
  } satisfies BuildOptions;
};

/**
 * Bundles every workflow function's handler in both variants under `dir` (inside the repo, so
 * that the external @aws-sdk/* resolve from node_modules as the runtime's would).
 */
export async function buildHandlerBundles(root: string, dir: string): Promise<HandlerBundle[]> {
  const bundles: HandlerBundle[] = [];
  const options = lambdaBuild(root);
  for (const variant of HANDLER_VARIANTS) {
    for (const handler of WORKFLOW_FUNCTIONS) {
      const outDir = join(dir, variant, handler);
      mkdirSync(outDir, { recursive: true });
      const external = [...options.external, ...(variant === 'sdk-external' ? ['@aws-sdk/*'] : [])];
      const file = join(outDir, 'index.mjs');
      const result = await build({
        ...options,
        entryPoints: [join(root, 'functions', handler, 'handler.ts')],
        outfile: file,
        external,
      });
      const parts = new Map<string, number>();
      for (const output of Object.values(result.metafile?.outputs ?? {})) {
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
          const name =
            /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(input)?.[1] ?? input.split('/')[0]!;
          parts.set(name, (parts.get(name) ?? 0) + bytesInOutput);
        }
      }
      bundles.push({
        handler,
        variant,
        file,
        bytes: statSync(file).size,
        parts: [...parts].sort((a, b) => b[1] - a[1]),
      });
    }
  }
  return bundles;
}

/** One fresh process importing a handler's bundle, then warming it (its first invoke's wiring). */
export interface HandlerSample {
  readonly bootMs: number;
  readonly importMs: number;
  readonly wireMs: number;
  readonly wallMs: number;
}

/**
 * The environment of a local cold start: the simulated venue over data/ and the warm folder's
 * venue file (opened on first use, so wire reads neither), the local endpoints (no request is
 * made), no metrics.
 */
export function handlerEnv(dataDir: string, warmDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BROKER: 'simulated',
    AWS_REGION: 'us-east-1',
    STATE_TABLE: 'trading-bot',
    STATE_BUCKET: 'trading-bot-state',
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    S3_ENDPOINT: 'http://127.0.0.1:4569',
    DATA_DIR: dataDir,
    VENUE_FILE: join(warmDir, '.local', 'venue', 'broker.json'),
    OUTBOX_DIR: join(warmDir, '.local', 'outbox'),
    RUN_CLOCK: 'trading-date',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Imports and warms one handler bundle in a fresh process (handler-child.mjs). */
export function sampleHandler(
  childBundle: string,
  bundle: HandlerBundle,
  cwd: string,
  env: NodeJS.ProcessEnv,
): HandlerSample {
  const run = runChild([childBundle, bundle.file], cwd, env);
  const times = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Omit<HandlerSample, 'wallMs'>;
  return { ...times, wallMs: run.seconds * 1000 };
}

/** Every sample of one bundle, over the rounds. */
export interface HandlerTimings {
  readonly bundle: HandlerBundle;
  readonly samples: HandlerSample[];
}

/** The fastest and the median of one field of a bundle's samples. */
export function fastestAndMedian(
  samples: readonly HandlerSample[],
  ms: (sample: HandlerSample) => number,
): { fastest: number; median: number; all: number[] } {
  const all = samples.map(ms);
  return { fastest: Math.min(...all), median: median(all), all };
}

/** Trading dates of `dates` after `after`, the first `count` of them. */
export function datesAfter(dates: readonly string[], after: string, count: number): string[] {
  const next = dates.filter((date) => date > after).slice(0, count);
  if (next.length < count) throw new Error(`fewer than ${count} trading days after ${after}`);
  return next;
}
