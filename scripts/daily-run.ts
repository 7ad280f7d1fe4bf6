/**
 * npm start -- [--date YYYY-MM-DD] [--data DIR] [--config FILE] [--reset] [--state DIR]
 *   [--broker simulated|alpaca] [--dry-run]
 * One daily run through the real workflow definition, locally: state in .local/ (or --state).
 * `--broker alpaca` trades through Alpaca with the APCA_* keys (paper unless the config and the
 * endpoint both say live); `--dry-run` runs on a scratch copy of the state and sends nothing.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TradingError } from '../shared/domain/errors.js';
import { assertIsoDate } from '../shared/domain/time.js';
import { runCli } from './cli.js';
import { runLocalDay } from './local/run-day.js';

const USAGE =
  'usage: npm start -- [--date YYYY-MM-DD] [--data DIR] [--config FILE] [--reset] [--state DIR] [--broker simulated|alpaca] [--dry-run] [--verbose]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      date: { type: 'string' },
      data: { type: 'string', default: 'data' },
      config: { type: 'string' },
      reset: { type: 'boolean', default: false },
      state: { type: 'string', default: '.local' },
      broker: { type: 'string', default: 'simulated' },
      'dry-run': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const broker = values.broker;
  if (broker !== 'simulated' && broker !== 'alpaca') {
    throw new TradingError(`--broker must be simulated or alpaca, got "${broker}"`);
  }
  if (values.reset) await rm(values.state, { recursive: true, force: true });
  const { ok, lines } = await runLocalDay({
    stateDir: values.state,
    dataDir: values.data,
    broker,
    dryRun: values['dry-run'],
    verbose: values.verbose,
    ...(values.date !== undefined && { date: assertIsoDate(values.date, '--date') }),
    ...(values.config !== undefined && { configFile: values.config }),
  });
  // A failure's last line says why: to stderr, the steps before it to stdout
  const said = ok ? lines : lines.slice(0, -1);
  for (const line of said) console.log(line);
  if (!ok) {
    console.error(lines.at(-1));
    process.exitCode = 1;
  }
}

runCli('npm start', USAGE, main);
