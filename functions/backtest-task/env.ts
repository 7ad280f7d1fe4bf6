import { availableParallelism } from 'node:os';
import * as z from 'zod';
import { ConfigError } from '../../shared/domain/errors.js';

const prefix = z.string().regex(/^([^/]+\/)*$/, 'must be empty or a key prefix ending in /');

/** The task's inputs: where the objects are, which spec, which shard, where its results go. */
export const TaskEnvSchema = z
  .object({
    /** The S3 bucket of the specs, the data folder and the runs (set by the task definition) */
    BACKTEST_BUCKET: z.string().min(3).optional(),
    BACKTEST_PREFIX: prefix.default(''),
    /** A local folder instead of the bucket: the local state machine's stand-in for S3 */
    STORE_DIR: z.string().min(1).optional(),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    S3_ENDPOINT: z.url().optional(),
    /** The spec's key under the prefix, e.g. runs/<execution>/spec.json */
    SPEC_KEY: z.string().min(1),
    /** Which slice, i/n (parsed by parseShard, which names what is wrong) */
    SHARD: z.string().min(1),
    /** Where the shard's results go, e.g. runs/<execution>/ */
    RUN_PREFIX: prefix.pipe(z.string().min(1, 'must name the run folder')),
    /** Worker threads; Fargate reports the host's cores, not the task's vCPUs, so it is set */
    WORKERS: z.coerce.number().int().positive().default(availableParallelism()),
    /** Where the data folder is copied to */
    SCRATCH_DIR: z.string().min(1).optional(),
  })
  .refine((env) => (env.BACKTEST_BUCKET === undefined) !== (env.STORE_DIR === undefined), {
    message: 'set exactly one of BACKTEST_BUCKET (S3) and STORE_DIR (a local folder)',
    path: ['BACKTEST_BUCKET'],
  });
export type TaskEnv = z.infer<typeof TaskEnvSchema>;

/** The task's environment, or a ConfigError naming every variable that is missing or wrong. */
export function taskEnv(env: NodeJS.ProcessEnv): TaskEnv {
  const parsed = TaskEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}
