/**
 * The Fargate task of the backtest state machine: runs one shard of a stored sweep spec and
 * stores its results, which the merge function reads. Every input is an environment variable:
 * the task definition sets the bucket, and each run's Map iteration overrides the rest.
 * Locally (scripts/local/backtest-workflow.ts) STORE_DIR replaces the bucket with a folder.
 */
import { FolderObjectStore } from '../../shared/adapters/folder-object-store.js';
import { S3ObjectStore, s3Client } from '../../shared/adapters/s3-object-store.js';
import { TradingError } from '../../shared/domain/errors.js';
import type { ObjectStore } from '../../shared/ports/index.js';
import { loadSpecHistory } from '../../shared/research/load.js';
import { poolEvaluator } from '../../shared/research/pool.js';
import { parseShard, runShard } from '../../shared/research/shards.js';
import { specFingerprint } from '../../shared/research/spec.js';
import { readStoredSpec, withStoredData } from '../../shared/research/stored-inputs.js';
import { sweepTasks } from '../../shared/research/sweep.js';
import { type TaskEnv, taskEnv } from './env.js';

function storeOf(env: TaskEnv): { store: ObjectStore; where: string } {
  if (env.STORE_DIR !== undefined) {
    return { store: new FolderObjectStore(env.STORE_DIR), where: env.STORE_DIR };
  }
  const client = s3Client({
    region: env.AWS_REGION,
    ...(env.S3_ENDPOINT && { endpoint: env.S3_ENDPOINT }),
  });
  return {
    store: new S3ObjectStore(client, env.BACKTEST_BUCKET!, env.BACKTEST_PREFIX),
    where: `s3://${env.BACKTEST_BUCKET}/${env.BACKTEST_PREFIX}`,
  };
}

// One JSON object a line, as CloudWatch Logs Insights reads the Lambdas' Powertools lines
const log = (message: string, fields: Record<string, unknown>) =>
  console.log(JSON.stringify({ level: 'INFO', message, ...fields }));

async function main(): Promise<void> {
  const started = performance.now();
  const env = taskEnv(process.env);
  const shard = parseShard(env.SHARD);
  const { store, where } = storeOf(env);
  const spec = await readStoredSpec(store, env.SPEC_KEY);
  // The fingerprint is the stored spec's: the merge reads the same document and must agree
  const local = await withStoredData(store, spec, env.SCRATCH_DIR);
  const history = await loadSpecHistory(local);
  const tasks = sweepTasks(spec);
  log('shard started', { spec: env.SPEC_KEY, shard: env.SHARD, tasks: tasks.length, where });
  const { key, results } = await runShard({
    tasks,
    shard,
    fingerprint: specFingerprint(spec),
    store,
    prefix: env.RUN_PREFIX,
    evaluate: poolEvaluator(local, history, { workers: env.WORKERS }),
  });
  const seconds = (performance.now() - started) / 1000;
  log('shard done', { key, backtests: results.length, seconds: Number(seconds.toFixed(1)) });
}

main().catch((error: unknown) => {
  // A named failure is one line; anything else keeps its stack. The exit code fails the ECS task,
  // which fails the Map iteration and the execution
  console.error(error instanceof TradingError ? `backtest-task: ${error.message}` : error);
  process.exitCode = 1;
});
