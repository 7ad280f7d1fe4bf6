/**
 * npm run backtest -- [--from D] [--to D] [--data DIR] [--config FILE] [--out DIR] [--strategies id,id]
 * Runs the daily pipeline over history and writes summary.json, orders.csv, trades.csv, equity.csv
 * and tearsheet.html.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataFolder } from '../shared/adapters/data-folder.js';
import { runBacktest } from '../shared/backtest/engine.js';
import { summarise } from '../shared/backtest/summary.js';
import { TradingError } from '../shared/domain/errors.js';
import { outputTimestamp, runCli } from './cli.js';
import { loadConfig, RUN_FILES, writeRunFiles } from './run-files.js';
import { formatSummaryTable } from './summary-table.js';

const USAGE =
  'usage: npm run backtest -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--data DIR] [--config FILE] [--out DIR] [--strategies id,id]';

/** The progress bar on stderr; cli-progress is loaded only then, as it costs start-up time. */
async function progressBar() {
  const { default: cliProgress } = await import('cli-progress');
  return new cliProgress.SingleBar(
    {
      format: 'backtest [{bar}] {percentage}% | {value}/{total} days | {date}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      data: { type: 'string', default: 'data' },
      config: { type: 'string' },
      out: { type: 'string' },
      strategies: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = await loadConfig(values.config, values.strategies);
  const benchmark = config.metrics.benchmark === 'equal-weight' ? 'none' : config.metrics.benchmark;
  const history = await loadDataFolder(values.data, { benchmark });

  const progress = process.stderr.isTTY ? await progressBar() : null;
  const started = performance.now();
  const run = await runBacktest(history, config, {
    ...(values.from !== undefined && { from: values.from }),
    ...(values.to !== undefined && { to: values.to }),
    onDay: progress
      ? (done, total, date) => {
          if (done === 1) progress.start(total, 0, { date });
          progress.update(done, { date });
        }
      : undefined,
  });
  progress?.stop();
  const seconds = (performance.now() - started) / 1000;
  const summary = summarise(history, run);

  const out = resolve(values.out ?? join('out', `backtest-${outputTimestamp()}`));
  await writeRunFiles(out, history, run, summary);
  console.log(formatSummaryTable(summary, { symbols: history.symbols.length, seconds }));
  // A strategy that never ran is worth saying out loud: its column of zeros is not a result
  const inactive = Object.entries(run.days[0]?.inactiveStrategies ?? {}).filter(([id]) =>
    run.days.every((day) => day.inactiveStrategies[id as keyof typeof day.inactiveStrategies]),
  );
  for (const [id, reason] of inactive) console.log(`${id}: inactive all period (${reason})`);
  console.log(`\nwrote ${RUN_FILES} to ${out}`);
  if (Math.abs(summary.reconciliationError) > 0.01) {
    throw new TradingError(
      `the books do not reconcile: final equity is off by ${summary.reconciliationError}`,
    );
  }
}

runCli('backtest', USAGE, main);
