import '../../infra/promise-with-resolvers.js';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { BACKTEST_PREFIX, BACKTEST_STATES } from '../../infra/constructs/backtest-workflow.js';
import { PROJECT_ROOT } from '../../infra/constructs/step-function.js';
import { localBacktestDefinition } from '../../infra/local-backtest-definition.js';
import { FileOutbox } from '../../shared/adapters/file-outbox.js';
import { FolderObjectStore } from '../../shared/adapters/folder-object-store.js';
import { TradingError } from '../../shared/domain/errors.js';
import {
  type MergeOutcome,
  MergeRequestSchema,
  mergeBacktest,
} from '../../shared/research/backtest-merge.js';
import type { ResearchSpec } from '../../shared/research/spec.js';
import { DATA_FILES } from '../../shared/research/stored-inputs.js';

export interface LocalBacktestOptions {
  readonly spec: ResearchSpec;
  /** Shards; none: the input is the spec document itself, as `--input file://spec.json` sends it */
  readonly shards?: number;
  /** The run's folder: the stand-in bucket and the outbox */
  readonly out: string;
  /** Worker threads of each shard's process. @default 1: the shards already run side by side */
  readonly workers?: number;
  readonly mail?: boolean;
}

export interface LocalBacktestResult {
  readonly outcome: MergeOutcome;
  /** Where the objects of `outcome.files` are */
  readonly store: FolderObjectStore;
  readonly seconds: number;
}

// The ECS task's resolved Parameters, as aws-local-stepfunctions hands them to an override
interface RunTaskParameters {
  Overrides: { ContainerOverrides: { Environment: { Name: string; Value: string }[] }[] };
}

/**
 * The deployed backtest state machine, run on this machine: its ASL synthesized from the CDK
 * constructs, executed by aws-local-stepfunctions; each `ecs:runTask.sync` starts the Fargate
 * entry point in a child process with the container's environment and the iteration's overrides,
 * a folder (FolderObjectStore) standing in for the bucket; the merge runs in-process.
 */
export async function runLocalBacktest(
  options: LocalBacktestOptions,
): Promise<LocalBacktestResult> {
  const started = performance.now();
  const bucketDir = join(resolve(options.out), 'bucket');
  const bucket = new FolderObjectStore(bucketDir);
  const store = new FolderObjectStore(join(bucketDir, BACKTEST_PREFIX));
  // As `aws s3 sync data s3://…/backtests/data/`: the stored spec names the uploaded folder
  await uploadData(store, options.spec.data);
  const stored = { ...options.spec, data: 'data' };
  let input: unknown = stored;
  if (options.shards !== undefined) {
    const specKey = `specs/${options.spec.name}.json`;
    await store.put(specKey, `${JSON.stringify(stored, null, 2)}\n`);
    input = { specKey, shards: options.shards };
  }

  const { definition, containerEnvironment } = localBacktestDefinition();
  // Validated where it is built (tests/infra/backtest-stack.test.ts)
  const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  const mailer =
    options.mail === false ? null : new FileOutbox(join(resolve(options.out), 'outbox'));
  const handlers = {
    [BACKTEST_STATES.storeSpec]: async (request: { Key: string; Body: string }) => {
      await bucket.put(request.Key, request.Body);
      return { ETag: '"local"' };
    },
    [BACKTEST_STATES.runShard]: async (request: RunTaskParameters) => {
      const overrides = request.Overrides.ContainerOverrides[0]?.Environment ?? [];
      const { BACKTEST_BUCKET: _, ...environment } = containerEnvironment;
      await runTaskProcess({
        ...environment,
        ...Object.fromEntries(overrides.map((e) => [e.Name, e.Value])),
        STORE_DIR: store.pathOf(''),
        WORKERS: String(options.workers ?? 1),
      });
      return { StopCode: 'EssentialContainerExited' };
    },
    [BACKTEST_STATES.merge]: (request: unknown) =>
      mergeBacktest(MergeRequestSchema.parse(request), {
        store,
        links: { link: async (key) => pathToFileURL(store.pathOf(key)).href },
        mailer,
        now: new Date(),
      }),
  };
  const name = `local-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      // The deployed backoff is for ECS's and Lambda's transient refusals
      retryIntervalOverrides: { [BACKTEST_STATES.runShard]: 0, [BACKTEST_STATES.merge]: 0 },
    },
    context: {
      Execution: {
        Id: `arn:aws:states:us-east-1:123456789012:execution:backtest:${name}`,
        Name: name,
      },
    },
  });
  try {
    const outcome = (await execution.result) as unknown as MergeOutcome;
    return { outcome, store, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    // The state machine's error says which state failed; its cause is the handler's own error
    const cause = (error as ExecutionError).cause as Error | undefined;
    throw new TradingError(`backtest failed: ${cause?.message ?? String(error)}`);
  }
}

async function uploadData(store: FolderObjectStore, folder: string): Promise<void> {
  const copy = async (file: string, required: boolean) => {
    const text = await readFile(join(folder, file), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' && !required) return undefined;
        throw new TradingError(
          `data folder ${folder}: cannot read ${file}: ${error.code ?? error.message}`,
        );
      },
    );
    if (text !== undefined) await store.put(`data/${file}`, text);
  };
  // One by one: a handful of files, and a folder missing two always names the first of them
  for (const file of DATA_FILES.required) await copy(file, true);
  for (const file of DATA_FILES.optional) await copy(file, false);
}

// What Fargate runs, through tsx: the same entry point and environment, the exit code its outcome
function runTaskProcess(environment: Record<string, string>): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'functions/backtest-task/main.ts')],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...environment },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let errors = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done();
      else
        fail(new TradingError(`shard ${environment.SHARD} exited with ${code}: ${errors.trim()}`));
    });
  });
}
