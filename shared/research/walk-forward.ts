import { csvChunks, csvNumber, csvText } from '../backtest/output-files.js';
import { InvalidInputError } from '../domain/errors.js';
import { type Metrics, metricsFor } from '../domain/metrics/index.js';
import { rank, score, type Task, type TaskResult } from './evaluate.js';
import type { Evaluator } from './shards.js';
import { combinations, configFor, type ResearchSpec } from './spec.js';
import { paramCell } from './sweep.js';

interface Period {
  readonly from: string;
  readonly to: string;
}

/** A training window and the test window right after it, as inclusive trading dates. */
export interface Window {
  readonly index: number;
  readonly train: Period;
  readonly test: Period;
}

/** One window's outcome: the parameters its training chose and how they did in and out of sample. */
export interface WindowResult {
  readonly window: Window;
  readonly chosen: TaskResult;
  readonly tested: TaskResult;
  readonly inSample: number;
  readonly outOfSample: number;
  /** inSample − outOfSample under the objective: how much worse the choice did on unseen days */
  readonly degradation: number;
}

export interface WalkForwardReport {
  readonly windows: readonly WindowResult[];
  /** The test windows' equity chained end to end, starting from the initial capital */
  readonly equity: { readonly dates: readonly string[]; readonly values: readonly number[] };
  readonly window: readonly number[];
  readonly metrics: Metrics;
}

/** A date `months` calendar months after an ISO date, the day clamped to the month's length. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0));
  target.setUTCDate(Math.min(day, last.getUTCDate()));
  return target.toISOString().slice(0, 10);
}

/**
 * The spec's windows over the trading dates: training [start, start + train), testing the next
 * `testMonths`, then the start moves on by `stepMonths` while a test window has days left.
 * A test window starts the trading day after its training window ends, so they never overlap.
 */
export function walkForwardWindows(spec: ResearchSpec, dates: readonly string[]): Window[] {
  const wf = spec.walkForward;
  if (!wf) throw new InvalidInputError('the spec has no walkForward windows');
  const first = spec.period.from ?? dates[0]!;
  const last = spec.period.to ?? dates[dates.length - 1]!;
  const within = (from: string, before: string) =>
    dates.filter((d) => d >= from && d < before && d >= first && d <= last);
  const windows: Window[] = [];
  for (let k = 0; ; k++) {
    // Every bound counted from the period's start: months added to a date already clamped to a
    // short month (the 31st to the 28th) would drift, and test windows would skip or repeat days
    const offset = k * wf.stepMonths;
    const trainStart = addMonths(first, offset);
    const testStart = addMonths(first, offset + wf.trainMonths);
    if (testStart > last) break;
    const train = within(trainStart, testStart);
    const test = within(testStart, addMonths(first, offset + wf.trainMonths + wf.testMonths));
    if (train.length === 0 || test.length === 0) break;
    windows.push({
      index: windows.length,
      train: { from: train[0]!, to: train[train.length - 1]! },
      test: { from: test[0]!, to: test[test.length - 1]! },
    });
  }
  if (windows.length === 0) {
    throw new InvalidInputError(
      `walkForward: ${first} .. ${last} is shorter than one training window plus a test window`,
    );
  }
  return windows;
}

/** The training tasks: every combination over every training window (the part worth sharding). */
export function trainingTasks(spec: ResearchSpec, windows: readonly Window[]): Task[] {
  const grid = combinations(spec);
  return windows.flatMap((window) =>
    grid.map((c, i) => ({
      index: window.index * grid.length + i,
      combination: c.index,
      params: c.params,
      ...window.train,
    })),
  );
}

/** Picks each window's best training result, runs it on the test window and stitches the tests. */
export async function testWindows(
  spec: ResearchSpec,
  windows: readonly Window[],
  trained: readonly TaskResult[],
  evaluate: Evaluator,
): Promise<WalkForwardReport> {
  const perWindow = trained.length / windows.length;
  const chosen = windows.map(
    (w) => rank(trained.slice(w.index * perWindow, (w.index + 1) * perWindow), spec.objective)[0]!,
  );
  const tested = await evaluate(
    windows.map((w) => ({
      index: w.index,
      combination: chosen[w.index]!.combination,
      params: chosen[w.index]!.params,
      ...w.test,
      equity: true,
    })),
  );
  const results = windows.map((window, i): WindowResult => {
    const inSample = score(chosen[i]!.metrics, spec.objective);
    const outOfSample = score(tested[i]!.metrics, spec.objective);
    return {
      window,
      chosen: chosen[i]!,
      tested: tested[i]!,
      inSample,
      outOfSample,
      degradation: inSample - outOfSample,
    };
  });
  return { windows: results, ...stitch(spec, tested) };
}

/** Chains the test windows' equity: each window's returns compound on where the last one ended. */
function stitch(spec: ResearchSpec, tested: readonly TaskResult[]) {
  const { initialCapital, metrics } = configFor(spec, {});
  const dates: string[] = [];
  const values: number[] = [];
  const window: number[] = [];
  let carry = initialCapital;
  for (const result of tested) {
    const curve = result.equity!;
    const capital = configFor(spec, result.params).initialCapital;
    for (let d = 0; d < curve.dates.length; d++) {
      dates.push(curve.dates[d]!);
      values.push((carry * curve.values[d]!) / capital);
      window.push(result.index);
    }
    carry = values[values.length - 1] ?? carry;
  }
  const equity = Float64Array.from(values);
  return {
    equity: { dates, values },
    window,
    metrics: metricsFor({
      dates,
      equity,
      initialCapital,
      // Exposure and trades are the windows' own (windows.csv); the stitched curve is returns only
      exposure: new Float64Array(values.length),
      trades: [],
      riskFreeRate: metrics.riskFreeRate,
    }),
  };
}

/** windows.csv: a row per window with its periods, the chosen parameters, and IS against OOS. */
export function windowsCsv(spec: ResearchSpec, report: WalkForwardReport): Iterable<string> {
  const paths = Object.keys(spec.grid);
  const objective = spec.objective;
  const header = [
    'window',
    'train_from',
    'train_to',
    'test_from',
    'test_to',
    'combination',
    ...paths,
    `is_${objective}`,
    `oos_${objective}`,
    'degradation',
    'is_cagr',
    'oos_cagr',
    'is_max_drawdown',
    'oos_max_drawdown',
    'is_trades',
    'oos_trades',
  ];
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return csvChunks(header, report.windows, (w) =>
    [
      String(w.window.index),
      csvText(w.window.train.from),
      csvText(w.window.train.to),
      csvText(w.window.test.from),
      csvText(w.window.test.to),
      String(w.chosen.combination),
      ...paths.map((path) => paramCell(w.chosen.params[path])),
      csvNumber(finite(w.inSample)),
      csvNumber(finite(w.outOfSample)),
      csvNumber(finite(w.degradation)),
      csvNumber(w.chosen.metrics.cagr),
      csvNumber(w.tested.metrics.cagr),
      csvNumber(w.chosen.metrics.maxDrawdown),
      csvNumber(w.tested.metrics.maxDrawdown),
      csvNumber(w.chosen.metrics.trades),
      csvNumber(w.tested.metrics.trades),
    ].join(','),
  );
}

/** oos-equity.csv: the stitched out-of-sample equity, with the window each day came from. */
export const oosEquityCsv = (report: WalkForwardReport): Iterable<string> =>
  csvChunks(['date', 'equity', 'window'], report.equity.dates.keys(), (d) =>
    [
      csvText(report.equity.dates[d]!),
      csvNumber(report.equity.values[d]!),
      String(report.window[d]),
    ].join(','),
  );
