import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { newYorkDateOf } from '../../shared/domain/time.js';
import { runKey, type StateStore } from '../../shared/ports/index.js';
import { EmailLogSchema, OrderRecordSchema } from '../../shared/steps/documents.js';
import { describeStep } from './describe.js';
import { firstError, openLocalWorkflow } from './workflow.js';

/** One local daily run, as `npm start` and `npm run bot -- run` make it. */
export interface LocalRunOptions {
  readonly stateDir: string;
  readonly dataDir: string;
  readonly configFile?: string;
  /** Default: the data folder's last date; on Alpaca, today in New York (a real venue trades now) */
  readonly date?: string;
  readonly broker?: 'simulated' | 'alpaca';
  /** Runs on a scratch copy of the state, sends nothing, and lists what it would have sent */
  readonly dryRun?: boolean;
  readonly verbose?: boolean;
}

/** What the run printed, and whether it counts as a success (a date that already ran does). */
export interface LocalRunResult {
  readonly ok: boolean;
  readonly lines: string[];
}

/**
 * The local daily run through the real workflow definition (scripts/local/workflow.ts): one line a
 * step, the emails it wrote (or, dry, the orders it would send), and the error that ended it.
 */
export async function runLocalDay(options: LocalRunOptions): Promise<LocalRunResult> {
  const broker = options.broker ?? 'simulated';
  const date =
    options.date ??
    (broker === 'alpaca'
      ? newYorkDateOf(new Date())
      : (await loadDataFolder(options.dataDir, { benchmark: 'none' })).dates.at(-1)!);
  // A dry run writes its state into a copy, thrown away after: the real state never sees it
  const stateDir = options.dryRun ? await scratchCopy(options.stateDir) : options.stateDir;
  const workflow = await openLocalWorkflow({
    stateDir,
    dataDir: options.dataDir,
    broker,
    dryRun: options.dryRun ?? false,
    ...(options.configFile !== undefined && { configFile: options.configFile }),
    ...(options.verbose && { logLevel: 'INFO' }),
  });
  try {
    const what = options.dryRun ? 'dry run (nothing is sent)' : 'daily run';
    const lines = [`${what} for ${date} on the ${broker} broker (state in ${options.stateDir}/)`];
    const outcome = await workflow.run(date);
    lines.push(
      ...outcome.steps.map(({ state, output, error }) => describeStep(state, output, error)),
    );
    if (options.dryRun) {
      lines.push(...(await wouldSend(workflow.store, date)));
    } else {
      const emails = await workflow.store.get(runKey(date, 'email'), EmailLogSchema);
      lines.push(
        ...(emails?.value.sent ?? []).map((sent) => `email (${sent.kind}): ${sent.where}`),
      );
    }
    if (outcome.status === 'succeeded') return { ok: true, lines };
    if (outcome.error?.name === 'RunAlreadyCompletedError') {
      lines.push(`already ran ${date}: no order sent (${outcome.error.message})`);
      return { ok: true, lines };
    }
    const cause = firstError(outcome);
    lines.push(
      `run failed (${outcome.error?.name}): ${cause ? `${cause.name}: ${cause.message}` : outcome.error?.message}`,
    );
    return { ok: false, lines };
  } finally {
    await workflow.close();
    if (options.dryRun) await rm(stateDir, { recursive: true, force: true });
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
