/**
 * npm start -- [--date YYYY-MM-DD] [--data DIR] [--config FILE] [--reset] [--state DIR]
 *   [--broker simulated|alpaca] [--dry-run]
 * One daily run through the real workflow definition, locally: state in .local/ (or --state).
 * `--broker alpaca` trades through Alpaca with the APCA_* keys (paper unless the config and the
 * endpoint both say live); `--dry-run` runs on a scratch copy of the state and sends nothing.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataFolder } from '../shared/adapters/data-folder.js';
import { TradingError } from '../shared/domain/errors.js';
import { assertIsoDate, newYorkDateOf } from '../shared/domain/time.js';
import { runKey, type StateStore } from '../shared/ports/index.js';
import { EmailLogSchema, OrderRecordSchema } from '../shared/steps/documents.js';
import { runCli } from './cli.js';
import { describeStep } from './local/describe.js';
import { firstError, openLocalWorkflow } from './local/workflow.js';

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
  const date =
    values.date !== undefined
      ? assertIsoDate(values.date, '--date')
      : broker === 'alpaca'
        ? newYorkDateOf(new Date()) // A real venue trades today
        : (await loadDataFolder(values.data, { benchmark: 'none' })).dates.at(-1)!;
  if (values.reset) await rm(values.state, { recursive: true, force: true });
  const dryRun = values['dry-run'];
  // A dry run writes its state into a copy, thrown away after: the real state never sees it
  const stateDir = dryRun ? await scratchCopy(values.state) : values.state;

  const workflow = await openLocalWorkflow({
    stateDir,
    dataDir: values.data,
    broker,
    dryRun,
    ...(values.config !== undefined && { configFile: values.config }),
    ...(values.verbose && { logLevel: 'INFO' }),
  });
  try {
    console.log(
      `${dryRun ? 'dry run (nothing is sent)' : 'daily run'} for ${date} on the ${broker} broker (state in ${values.state}/)`,
    );
    const outcome = await workflow.run(date);
    for (const { state, output, error } of outcome.steps) {
      console.log(describeStep(state, output, error));
    }
    if (dryRun) {
      for (const line of await wouldSend(workflow.store, date)) console.log(line);
    } else {
      const emails = await workflow.store.get(runKey(date, 'email'), EmailLogSchema);
      for (const sent of emails?.value.sent ?? [])
        console.log(`email (${sent.kind}): ${sent.where}`);
    }
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
    if (dryRun) await rm(stateDir, { recursive: true, force: true });
  }
}

/** A copy of the state folder (or an empty one) in the temp folder. */
async function scratchCopy(stateDir: string): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'dry-run-'));
  await cp(stateDir, scratch, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return scratch;
}

/** The orders the dry run's journal holds for the date, as a real run would have sent them. */
async function wouldSend(store: StateStore, date: string): Promise<string[]> {
  const records = (await store.list('order', OrderRecordSchema))
    .map((r) => r.value)
    .filter((r) => r.decisionDate === date && r.venue !== null && !r.riskRejected)
    .sort((a, b) => a.ordinal - b.ordinal);
  if (records.length === 0) return ['would send no order'];
  return records.map(
    (r) =>
      `would send ${r.side} ${r.qty} ${r.symbol} (${r.intent}${r.venue?.stopLoss ? `, stop at ${r.venue.stopLoss.stopPrice}` : ''}, ${r.strategy}): ${r.clientOrderId}`,
  );
}

runCli('npm start', USAGE, main);
