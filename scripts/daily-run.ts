/**
 * npm start -- [--date YYYY-MM-DD] [--data DIR] [--config FILE] [--reset] [--state DIR] [--broker simulated|alpaca]
 * One daily run through the real workflow definition, locally: state in .local/ (or --state).
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadDataFolder } from '../shared/adapters/data-folder.js';
import { TradingError } from '../shared/domain/errors.js';
import { assertIsoDate } from '../shared/domain/time.js';
import { runKey } from '../shared/ports/index.js';
import { EmailLogSchema } from '../shared/steps/documents.js';
import { runCli } from './cli.js';
import { describeStep } from './local/describe.js';
import { firstError, openLocalWorkflow } from './local/workflow.js';

const USAGE =
  'usage: npm start -- [--date YYYY-MM-DD] [--data DIR] [--config FILE] [--reset] [--state DIR] [--broker simulated|alpaca] [--verbose]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      date: { type: 'string' },
      data: { type: 'string', default: 'data' },
      config: { type: 'string' },
      reset: { type: 'boolean', default: false },
      state: { type: 'string', default: '.local' },
      broker: { type: 'string', default: 'simulated' },
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
  if (broker === 'alpaca') {
    throw new TradingError(
      '--broker alpaca: the Alpaca adapters are not built yet (they arrive with their own issue)',
    );
  }
  const date =
    values.date === undefined
      ? (await loadDataFolder(values.data, { benchmark: 'none' })).dates.at(-1)!
      : assertIsoDate(values.date, '--date');
  const stateDir = values.state;
  if (values.reset) await rm(stateDir, { recursive: true, force: true });

  const workflow = await openLocalWorkflow({
    stateDir,
    dataDir: values.data,
    broker,
    ...(values.config !== undefined && { configFile: values.config }),
    ...(values.verbose && { logLevel: 'INFO' }),
  });
  try {
    console.log(`daily run for ${date} (state in ${stateDir}/)`);
    const outcome = await workflow.run(date);
    for (const { state, output, error } of outcome.steps) {
      console.log(describeStep(state, output, error));
    }
    const emails = await workflow.store.get(runKey(date, 'email'), EmailLogSchema);
    for (const sent of emails?.value.sent ?? []) console.log(`email (${sent.kind}): ${sent.where}`);
    if (outcome.status === 'succeeded') return;
    if (outcome.error?.name === 'RunAlreadyCompletedError') {
      console.log(`already ran ${date}: no order sent (${outcome.error.message})`);
      return;
    }
    const cause = firstError(outcome);
    console.error(
      `run failed (${outcome.error?.name}): ${cause ? `${cause.name}: ${cause.message}` : outcome.error?.message}`,
    );
    process.exitCode = 1;
  } finally {
    await workflow.close();
  }
}

runCli('npm start', USAGE, main);
