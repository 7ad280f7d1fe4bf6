/** Backtest benchmarks: the shipped data with every strategy, and a rule-only run against grademark. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFrame, type IDataFrame, Series } from 'data-forge';
import { backtest, type IBar, type IStrategy } from 'grademark';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { runBacktest } from '../../shared/backtest/engine.js';
import { parseConfig } from '../../shared/domain/config.js';
import type { MarketHistory } from '../../shared/domain/market/history.js';
import { median, pooledTiming, sampleAsync, type Timing } from './measure.js';

// Untimed runs before the samples. A fresh process needs a few: the first run pays for compiling,
// and V8 grows the young generation over the next ones, so runs 2-3 still collect more often
const WARMUPS = 3;

/** The rule-only universe: 500 symbols × 10 years of trading days. */
export const RULE_ONLY = { symbols: 500, days: 2_520 } as const;

/** Engine time on the shipped data, every strategy enabled, from the first day. */
export interface EngineResult {
  readonly loadMs: number;
  readonly symbols: number;
  readonly days: number;
  readonly engine: Timing;
  readonly trades: number;
}

/** Times runBacktest on data/ with parseConfig({}). */
export async function benchEngine(dataDir: string, budgetMs: number): Promise<EngineResult> {
  const started = performance.now();
  const history = await loadDataFolder(dataDir);
  const loadMs = performance.now() - started;
  const config = parseConfig({});
  let trades = 0;
  const engine = await sampleAsync(
    async () => {
      trades = (await runBacktest(history, config)).trades.length;
    },
    { warmups: WARMUPS, minSamples: 3, maxSamples: 9, budgetMs },
  );
  return { loadMs, symbols: history.symbols.length, days: history.dates.length, engine, trades };
}

/** Several rounds of the engine benchmark as one; they must agree on what they ran. */
export function pooledEngineResult(rounds: readonly EngineResult[]): EngineResult {
  const first = agreeingRounds(rounds, 'engine', (r) => `${r.trades} trades over ${r.days} days`);
  return {
    ...first,
    loadMs: median(rounds.map((round) => round.loadMs)),
    engine: pooledTiming(rounds.map((round) => round.engine)),
  };
}

// Rounds pooled into one result must have run the same backtest; returns the first
function agreeingRounds<T>(rounds: readonly T[], what: string, describe: (round: T) => string): T {
  const [first] = rounds;
  if (first === undefined) throw new Error(`no ${what} rounds to pool`);
  for (const round of rounds) {
    if (describe(round) !== describe(first)) {
      throw new Error(`${what} rounds disagree: ${describe(round)}, against ${describe(first)}`);
    }
  }
  return first;
}

/** Wall time and peak resident memory of child processes. */
export interface ProcessResult {
  readonly wallSeconds: readonly number[];
  readonly peakMb: readonly number[];
  readonly medianWallSeconds: number;
  readonly medianPeakMb: number;
  readonly maxPeakMb: number;
}

const TIME = '/usr/bin/time';

/** Runs `node args` under /usr/bin/time (wall clock and max RSS): a warm-up, then `runs` times. */
export function measureProcess(args: readonly string[], cwd: string, runs: number): ProcessResult {
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed to read a child's peak RSS`);
  const wallSeconds: number[] = [];
  const peakMb: number[] = [];
  for (let i = -1; i < runs; i++) {
    const started = performance.now();
    const child = spawnSync(TIME, ['-f', '%e %M', process.execPath, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    if (child.status !== 0) {
      throw new Error(`node ${args.join(' ')} failed (${child.status}):\n${child.stderr}`);
    }
    const lastLine = child.stderr.trim().split('\n').at(-1) ?? '';
    const kilobytes = Number(lastLine.split(' ')[1]);
    // The first run only fills the page cache
    if (i < 0) continue;
    wallSeconds.push(seconds);
    peakMb.push(kilobytes / 1024);
  }
  return processResult(wallSeconds, peakMb);
}

/** Several rounds of process measurements as one. */
export function pooledProcessResult(rounds: readonly ProcessResult[]): ProcessResult {
  if (rounds.length === 0) throw new Error('no process rounds to pool');
  return processResult(
    rounds.flatMap((round) => round.wallSeconds),
    rounds.flatMap((round) => round.peakMb),
  );
}

function processResult(wallSeconds: readonly number[], peakMb: readonly number[]): ProcessResult {
  return {
    wallSeconds,
    peakMb,
    medianWallSeconds: median(wallSeconds),
    medianPeakMb: median(peakMb),
    maxPeakMb: Math.max(...peakMb),
  };
}

/** Whole-process backtest of data/: the esbuild bundle under plain node, no tsx, no npm. */
export function benchBacktestProcess(bundle: string, cwd: string, runs: number): ProcessResult {
  const out = mkdtempSync(join(tmpdir(), 'bench-backtest-'));
  try {
    return measureProcess([bundle, '--out', out], cwd, runs);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The rule-only backtest with our engine: only rsi-mean-reversion enabled. */
export function ruleOnlyConfig() {
  return parseConfig({ strategies: { enabled: ['rsi-mean-reversion'] } });
}

/** A grademark bar with the columns its rules read. */
interface RsiBar extends IBar {
  rsi: number;
  previousRsi: number;
}

// Wilder RSI seeded as TA-Lib (and as ours), a plain loop: the cheapest way for grademark to get it
function plainRsi(close: readonly number[], period: number): number[] {
  const out = new Array<number>(close.length).fill(Number.NaN);
  if (close.length <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let t = 1; t <= period; t++) {
    const change = close[t]! - close[t - 1]!;
    if (change > 0) gain += change;
    else loss -= change;
  }
  gain /= period;
  loss /= period;
  out[period] = gain + loss > 0 ? (100 * gain) / (gain + loss) : 50;
  for (let t = period + 1; t < close.length; t++) {
    const change = close[t]! - close[t - 1]!;
    gain = (gain * (period - 1) + Math.max(change, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-change, 0)) / period;
    out[t] = gain + loss > 0 ? (100 * gain) / (gain + loss) : 50;
  }
  return out;
}

/**
 * Our rsi-mean-reversion rule in grademark: enter when RSI(14) < 30 and rising, leave when RSI > 70
 * or after 20 bars. Entries and exits fill at the next bar's open, as in our engine.
 */
export const grademarkStrategy: IStrategy<IBar, RsiBar> = {
  prepIndicators: ({ inputSeries }) => {
    const rsi = plainRsi(inputSeries.getSeries<number>('close').toArray(), 14);
    const previousRsi = [Number.NaN, ...rsi.slice(0, -1)];
    return inputSeries.withSeries({
      rsi: new Series(rsi),
      previousRsi: new Series(previousRsi),
    }) as IDataFrame<number, RsiBar>;
  },
  entryRule: (enterPosition, { bar }) => {
    if (bar.rsi < 30 && bar.rsi > bar.previousRsi) enterPosition();
  },
  exitRule: (exitPosition, { bar, position }) => {
    if (bar.rsi > 70 || position.holdingPeriod >= 20) exitPosition();
  },
};

/** grademark's input: one array of bar objects per symbol, built before any timing. */
export function grademarkBars(market: MarketHistory): IBar[][] {
  const n = market.symbols.length;
  const times = market.dates.map((date) => new Date(`${date}T00:00:00Z`));
  return market.symbols.map((_, s) =>
    times.map((time, d) => {
      const i = d * n + s;
      return {
        time,
        open: market.open[i]!,
        high: market.high[i]!,
        low: market.low[i]!,
        close: market.close[i]!,
        volume: market.volume[i]!,
      };
    }),
  );
}

/** One grademark backtest per symbol, one after another; returns the number of trades. */
export function runGrademark(bars: readonly IBar[][]): number {
  let trades = 0;
  for (const series of bars) trades += backtest(grademarkStrategy, new DataFrame(series)).length;
  return trades;
}

/** One contender of the rule-only benchmark: its timings and how many trades it made. */
export interface RuleOnlyResult {
  readonly symbolBars: number;
  readonly timing: Timing;
  readonly trades: number;
}

/**
 * Rounds of the backtest benchmarks, spread over the bench run: each round times the engine, the
 * whole process, then rule-only ours and grademark, each in fresh processes.
 */
export const BACKTEST_ROUNDS = 3;

/** One result from several rounds of the same contender: every sample pooled, their median. */
export function pooledRuleResult(rounds: readonly RuleOnlyResult[]): RuleOnlyResult {
  const first = agreeingRounds(
    rounds,
    'rule-only',
    (r) => `${r.trades} trades over ${r.symbolBars} symbol-bars`,
  );
  return {
    symbolBars: first.symbolBars,
    trades: first.trades,
    timing: pooledTiming(rounds.map((round) => round.timing)),
  };
}

/** Times one contender's rule-only backtest on a generated market. */
export async function benchRuleOnly(
  market: MarketHistory,
  contender: 'ours' | 'grademark',
  budgetMs: number,
): Promise<RuleOnlyResult> {
  let trades = 0;
  const options = { warmups: WARMUPS, minSamples: 3, maxSamples: 7, budgetMs };
  let timing: Timing;
  if (contender === 'ours') {
    const config = ruleOnlyConfig();
    timing = await sampleAsync(async () => {
      trades = (await runBacktest(market, config)).trades.length;
    }, options);
  } else {
    const bars = grademarkBars(market);
    timing = await sampleAsync(async () => {
      trades = runGrademark(bars);
    }, options);
  }
  return { symbolBars: market.symbols.length * market.dates.length, timing, trades };
}
