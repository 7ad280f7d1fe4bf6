/**
 * npm run replay -- --from D1 --to D2 [--data DIR] [--config FILE] [--out DIR] [--state DIR]
 * The local daily workflow once per trading day from an empty state, then the backtest's files
 * (summary.json, orders.csv, trades.csv, equity.csv, tearsheet.html) read back from DynamoDB:
 * equal to `npm run backtest` over the same period.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataFolder } from '../shared/adapters/data-folder.js';
import { readRun, resolvePeriod } from '../shared/backtest/engine.js';
import { summarise } from '../shared/backtest/summary.js';
import { TradingError } from '../shared/domain/errors.js';
import { outputTimestamp, runCli } from './cli.js';
import { replayDates } from './local/replay-run.js';
import { openLocalWorkflow } from './local/workflow.js';
import { loadConfig, RUN_FILES, writeRunFiles } from './run-files.js';

const USAGE =
  'usage: npm run replay -- --from YYYY-MM-DD --to YYYY-MM-DD [--data DIR] [--config FILE] [--out DIR] [--state DIR]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      data: { type: 'string', default: 'data' },
      config: { type: 'string' },
      out: { type: 'string' },
      state: { type: 'string', default: '.local/replay' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.from === undefined || values.to === undefined) {
    throw new TradingError(`--from and --to are required\n${USAGE}`);
  }
  const config = await loadConfig(values.config);
  const benchmark = config.metrics.benchmark === 'equal-weight' ? 'none' : config.metrics.benchmark;
  const history = await loadDataFolder(values.data, { benchmark });
  const { first, last } = resolvePeriod(history, values.from, values.to);
  const dates = history.dates.slice(first, last + 1);

  // From an empty state, as a first live run starts
  await rm(values.state, { recursive: true, force: true });
  const workflow = await openLocalWorkflow({
    stateDir: values.state,
    dataDir: values.data,
    broker: 'simulated',
    mail: false,
    ...(values.config !== undefined && { configFile: values.config }),
  });
  const started = performance.now();
  try {
    await replayDates(workflow, dates, (done, date) => {
      if (process.stderr.isTTY) process.stderr.write(`\rreplay ${done}/${dates.length} ${date}`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = (performance.now() - started) / 1000;
    const out = resolve(values.out ?? join('out', `replay-${outputTimestamp()}`));
    const run = await readRun(workflow.store, history, config, { first, last });
    await writeRunFiles(out, history, run, summarise(history, run));
    console.log(
      `replayed ${dates.length} trading days (${dates[0]} .. ${dates.at(-1)}) in ${seconds.toFixed(1)} s, ` +
        `${(dates.length / seconds).toFixed(1)} days/s`,
    );
    console.log(`wrote ${RUN_FILES} to ${out}`);
  } finally {
    await workflow.close();
  }
}

runCli('replay', USAGE, main);
