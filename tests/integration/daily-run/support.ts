import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { type LocalWorkflow, openLocalWorkflow } from '../../../scripts/local/workflow.js';
import type { FileSimulatedBroker } from '../../../shared/adapters/file-simulated-broker.js';
import type { LazyBroker } from '../../../shared/adapters/on-first-use.js';
import { wired } from '../../../shared/runtime/handler.js';
import { market } from '../../../shared/runtime/market.js';
import { OrderRecordSchema } from '../../../shared/steps/documents.js';

/** A local workflow on a fresh state folder, over the shipped data unless told otherwise. */
export async function freshWorkflow(
  options: { dataDir?: string; configFile?: string; stateDir?: string } = {},
): Promise<LocalWorkflow & { stateDir: string }> {
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'daily-run-')));
  const workflow = await openLocalWorkflow({
    stateDir,
    dataDir: options.dataDir ?? 'data',
    broker: 'simulated',
    ...(options.configFile !== undefined && { configFile: options.configFile }),
  });
  return { ...workflow, stateDir };
}

/** The simulated venue the handlers were wired with, opened if no step has opened it yet. */
export const wiredVenue = async () =>
  ((await (await wired()).use(market)).broker as LazyBroker<FileSimulatedBroker>).opened();

/** Every order the journal holds, by client order id. */
export async function journal(workflow: LocalWorkflow) {
  return (await workflow.store.list('order', OrderRecordSchema)).map((r) => r.value);
}

export const outboxFiles = async (workflow: LocalWorkflow) =>
  (await readdir(workflow.outboxDir).catch(() => [])).sort();

export const lambdaContext = (name: string) =>
  ({ functionName: name, awsRequestId: `test-${name}` }) as Context;
