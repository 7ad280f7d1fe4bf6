/**
 * npm run walkforward -- --spec FILE [--workers N] [--out DIR] [--shard i/n | --merge n]
 * Chooses the grid's best combination on each training window by the spec's objective, runs it on
 * the test window that follows, and writes windows.csv (in-sample against out-of-sample per
 * window), oos-equity.csv (the test windows stitched) and walkforward.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSpecHistory } from '../../shared/research/load.js';
import { label } from '../../shared/research/spec.js';
import {
  oosEquityCsv,
  testWindows,
  trainingTasks,
  walkForwardWindows,
  windowsCsv,
} from '../../shared/research/walk-forward.js';
import { runCli } from '../cli.js';
import { GRID_OPTIONS, gridResults, outFolder, readSpec } from './common.js';

const USAGE =
  'usage: npm run walkforward -- --spec FILE [--workers N] [--out DIR] [--shard i/n | --merge n]';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : x > 0 ? '+∞' : '—');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: GRID_OPTIONS, strict: true });
  if (values.help) return console.log(USAGE);
  const spec = await readSpec(values.spec);
  const history = await loadSpecHistory(spec);
  const windows = walkForwardWindows(spec, history.dates);
  const tasks = trainingTasks(spec, windows);
  const out = outFolder(values.out, 'walkforward');
  const started = performance.now();
  const grid = await gridResults({ values, spec, history, tasks, out, unit: 'walkforward' });
  if (!grid) return;
  const report = await testWindows(spec, windows, grid.results, grid.evaluate);
  const seconds = (performance.now() - started) / 1000;

  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'windows.csv'), windowsCsv(spec, report));
  await writeFile(join(out, 'oos-equity.csv'), oosEquityCsv(report));
  const { windows: rows, metrics } = report;
  const json = { spec, windows: rows.map(({ tested: _, ...row }) => row), metrics };
  await writeFile(join(out, 'walkforward.json'), `${JSON.stringify(json, null, 2)}\n`);

  console.log(
    `walkforward ${spec.name}: ${windows.length} windows × ${tasks.length / windows.length} ` +
      `combinations, ${seconds.toFixed(1)} s; ${spec.objective} in sample -> out of sample:`,
  );
  for (const w of rows) {
    const { train, test } = w.window;
    console.log(
      `  ${train.from}..${train.to} -> ${test.from}..${test.to}  ${num(w.inSample)} -> ` +
        `${num(w.outOfSample)} (degradation ${num(w.degradation)})  ${label(w.chosen)}`,
    );
  }
  console.log(
    `stitched out of sample: total ${pct(metrics.totalReturn)}, CAGR ${pct(metrics.cagr)}, ` +
      `Sharpe ${metrics.sharpe?.toFixed(2) ?? '—'}, max drawdown ${pct(metrics.maxDrawdown)}`,
  );
  console.log(`wrote windows.csv, oos-equity.csv, walkforward.json to ${out}`);
}

runCli('walkforward', USAGE, main);
