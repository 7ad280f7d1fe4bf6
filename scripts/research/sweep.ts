/**
 * npm run sweep -- --spec FILE [--workers N] [--out DIR] [--shard i/n | --merge n]
 * Runs the spec's grid on worker threads, writes results.csv (one row per combination) and the best
 * combination's backtest files and tearsheet under best/. `--shard i/n` runs one slice and stores
 * it; `--merge n` merges n stored slices into what one unsharded run writes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { backtestOf, rank } from '../../shared/research/evaluate.js';
import { loadSpecHistory } from '../../shared/research/load.js';
import { label } from '../../shared/research/spec.js';
import { formatResults, resultsCsv, sweepTasks } from '../../shared/research/sweep.js';
import { runCli } from '../cli.js';
import { RUN_FILES, writeRunFiles } from '../run-files.js';
import { GRID_OPTIONS, gridResults, outFolder, readSpec } from './common.js';

const USAGE =
  'usage: npm run sweep -- --spec FILE [--workers N] [--out DIR] [--shard i/n | --merge n]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: GRID_OPTIONS, strict: true });
  if (values.help) return console.log(USAGE);
  const spec = await readSpec(values.spec);
  const history = await loadSpecHistory(spec);
  const tasks = sweepTasks(spec);
  const out = outFolder(values.out, 'sweep');
  const started = performance.now();
  const grid = await gridResults({ values, spec, history, tasks, out, unit: 'sweep' });
  if (!grid) return;
  const { results } = grid;
  const seconds = (performance.now() - started) / 1000;

  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'results.csv'), resultsCsv(spec, results));
  const ranked = rank(results, spec.objective);
  const best = ranked[0]!;
  const { run, summary } = await backtestOf(history, spec, { ...spec.period, params: best.params });
  await writeRunFiles(join(out, 'best'), history, run, summary);

  console.log(
    `sweep ${spec.name}: ${results.length} combinations, ${run.period.from} .. ${run.period.to}, ` +
      `${history.symbols.length} symbols, ${seconds.toFixed(1)} s; best by ${spec.objective}:`,
  );
  console.log(formatResults(spec, ranked.slice(0, spec.top)));
  console.log(`\nbest: ${label(best)}`);
  console.log(`wrote results.csv to ${out}\nwrote ${RUN_FILES} to ${join(out, 'best')}`);
}

runCli('sweep', USAGE, main);
