import '../../infra/promise-with-resolvers.js';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { type ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import * as z from 'zod';
import type { WorkflowFunction } from '../../infra/constructs/workflow-functions.js';
import { localWorkflowDefinition } from '../../infra/local-definition.js';
import { runKey, type StateStore } from '../../shared/ports/index.js';
import { RunRecordSchema } from '../../shared/steps/documents.js';
import type { RunState } from '../../shared/steps/types.js';
import { startLocalServices } from './services.js';

// Node 20 runs the local workflow; Lambda runs 22, where the SDK has nothing to warn of
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface LocalWorkflowOptions {
  /** Where the local state lives between runs: DynamoDB, S3, the venue, the outbox */
  readonly stateDir: string;
  readonly dataDir: string;
  readonly configFile?: string;
  readonly broker: 'simulated' | 'alpaca';
  /** Powertools log level of the handlers (their JSON lines go to stdout) */
  readonly logLevel?: string;
  /** false: the runs send no email (a replay of history has no reader for 1,500 of them) */
  readonly mail?: boolean;
  /** true: the broker is read and never written (give it a scratch copy of the state) */
  readonly dryRun?: boolean;
}

// The workflow's handlers by name, imported on first use. Named one by one, not as a template
// literal: esbuild bundles that as a glob of every functions/*/handler.ts, and the halt and
// backtest functions' packages (the S3 presigner, the research code) would load for every run
const HANDLERS: Record<WorkflowFunction, () => Promise<{ handler: unknown }>> = {
  'check-calendar': () => import('../../functions/check-calendar/handler.js'),
  'fetch-data': () => import('../../functions/fetch-data/handler.js'),
  'detect-regime': () => import('../../functions/detect-regime/handler.js'),
  'generate-signals': () => import('../../functions/generate-signals/handler.js'),
  'filter-correlation': () => import('../../functions/filter-correlation/handler.js'),
  'size-positions': () => import('../../functions/size-positions/handler.js'),
  'check-risk': () => import('../../functions/check-risk/handler.js'),
  'execute-orders': () => import('../../functions/execute-orders/handler.js'),
  'monitor-exits': () => import('../../functions/monitor-exits/handler.js'),
  report: () => import('../../functions/report/handler.js'),
};

/** A task's invocation: what it handed on, or what it threw. */
export interface TaskRecord {
  readonly state: string;
  readonly ms: number;
  readonly output?: RunState;
  readonly error?: Error;
}

/**
 * Marks a `running` record of a date failed when no execution of this process holds it: the
 * services' lock lets one process at a time use a state folder, so such a run was interrupted
 * (a killed `npm start`) and its lease, counted on the trading date's clock, would never expire.
 */
async function releaseInterrupted(
  store: StateStore,
  tradingDate: string,
  active: ReadonlySet<string>,
): Promise<void> {
  if (!ISO_DATE.safeParse(tradingDate).success) return;
  const key = runKey(tradingDate, 'record');
  const record = await store.get(key, RunRecordSchema);
  if (record?.value.status !== 'running' || active.has(record.value.runId)) return;
  await store.put(
    key,
    {
      ...record.value,
      status: 'failed',
      error: 'interrupted: the local run stopped before it finished',
      finishedAt: new Date().toISOString(),
    },
    record.version,
  );
}

/** The first error a task threw: the cause of a failed run, where the Fail state says only that. */
export const firstError = (outcome: RunOutcome): Error | undefined =>
  outcome.steps.find((step) => step.error !== undefined)?.error;

/** What one execution did: each task's invocation in order, and how it ended. */
export interface RunOutcome {
  readonly status: 'succeeded' | 'failed';
  readonly steps: readonly TaskRecord[];
  /** The Fail state's error (DailyRunFailed, RunAlreadyCompletedError, …) and its cause */
  readonly error?: { readonly name: string; readonly message: string };
  readonly output?: RunState;
}

export interface LocalWorkflow {
  readonly store: StateStore;
  readonly outboxDir: string;
  run(tradingDate: string): Promise<RunOutcome>;
  close(): Promise<void>;
}

const ISO_DATE = z.iso.date();

type Handler = (event: unknown, context: Context) => Promise<RunState>;

const lambdaContext = (name: string, requestId: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 900_000,
  }) as Context;

/**
 * The daily workflow as AWS runs it, on this machine: the state machine definition synthesized
 * from the CDK construct, executed by aws-local-stepfunctions, each Task invoking the real
 * handler in-process against dynalite and s3rver (the real DynamoDB and S3 adapters over HTTP),
 * the persisted simulated venue and an outbox folder.
 */
export async function openLocalWorkflow(options: LocalWorkflowOptions): Promise<LocalWorkflow> {
  const stateDir = resolve(options.stateDir);
  const services = await startLocalServices(join(stateDir, 'services'));
  const outboxDir = join(stateDir, 'outbox');
  // Read by the handlers' wiring at their first invoke, as a Lambda reads its environment
  Object.assign(process.env, {
    BROKER: options.broker,
    STATE_TABLE: services.tableName,
    STATE_BUCKET: services.bucket,
    DYNAMODB_ENDPOINT: services.dynamoEndpoint,
    S3_ENDPOINT: services.s3Endpoint,
    DATA_DIR: resolve(options.dataDir),
    VENUE_FILE: join(stateDir, 'venue', 'broker.json'),
    OUTBOX_DIR: outboxDir,
    MAILER: options.mail === false ? 'none' : 'outbox',
    RUN_CLOCK: 'trading-date',
    DRY_RUN: options.dryRun ? 'true' : 'false',
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // Set or cleared: a config of an earlier workflow in this process, or the shell's deployed
  // parameter, must not leak into this one
  if (options.configFile === undefined) delete process.env.TRADING_CONFIG_FILE;
  else process.env.TRADING_CONFIG_FILE = resolve(options.configFile);
  delete process.env.TRADING_CONFIG_PARAMETER;
  try {
    const { definition, tasks } = localWorkflowDefinition();
    const handlers = new Map<WorkflowFunction, Handler>();
    for (const name of new Set(Object.values(tasks))) {
      handlers.set(name, (await HANDLERS[name]()).handler as unknown as Handler);
    }
    // Validated where it is built (tests/infra, tests/integration/workflow): validating it again
    // on every start cost 0.3 s of the 3 s budget
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    let executions = 0;

    const active = new Set<string>();
    const run = async (tradingDate: string): Promise<RunOutcome> => {
      executions += 1;
      const runId = `arn:aws:states:us-east-1:123456789012:execution:daily-run:local-${tradingDate}-${Date.now()}-${executions}`;
      await releaseInterrupted(services.store, tradingDate, active);
      active.add(runId);
      const steps: TaskRecord[] = [];
      const overrides = Object.fromEntries(
        Object.entries(tasks).map(([state, name]) => [
          state,
          async (payload: unknown) => {
            const started = performance.now();
            const context = lambdaContext(name, `${runId}/${state}`);
            try {
              const output = await handlers.get(name)!(payload, context);
              steps.push({ state, output, ms: performance.now() - started });
              return output;
            } catch (error) {
              steps.push({ state, error: error as Error, ms: performance.now() - started });
              throw error;
            }
          },
        ]),
      );
      const execution = machine.run({ tradingDate } as never, {
        overrides: {
          taskResourceLocalHandlers: overrides as never,
          // The deployed backoff (2 s, 4 s, 8 s) is for AWS's transient errors
          retryIntervalOverrides: Object.fromEntries(Object.keys(tasks).map((s) => [s, 0])),
        },
        context: { Execution: { Id: runId } },
      });
      try {
        const output = (await execution.result) as unknown as RunState;
        return { status: 'succeeded', steps, output };
      } catch (error) {
        const cause = (error as ExecutionError).cause as Error | undefined;
        return {
          status: 'failed',
          steps,
          error: { name: cause?.name ?? 'Error', message: cause?.message ?? String(error) },
        };
      } finally {
        active.delete(runId);
      }
    };
    return { store: services.store, outboxDir, run, close: () => services.close() };
  } catch (error) {
    await services.close();
    throw error;
  }
}
