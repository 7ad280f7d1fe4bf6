import { createHash } from 'node:crypto';
import * as z from 'zod';
import { parseConfig, StrategyIdSchema, type TradingConfig } from '../domain/config.js';
import { ConfigError } from '../domain/errors.js';
import { MAX_SEED, mulberry32 } from '../domain/numeric/random.js';

const isoDate = z.iso.date();
const months = z.number().int().positive();

/** What a sweep ranks combinations by; every objective is "higher is better" except maxDrawdown. */
export const OBJECTIVES = [
  'sharpe',
  'sortino',
  'cagr',
  'calmar',
  'totalReturn',
  'profitFactor',
  'maxDrawdown',
] as const;
export type Objective = (typeof OBJECTIVES)[number];

const WalkForwardSchema = z
  .strictObject({
    trainMonths: months.describe('length of each training window'),
    testMonths: months.describe('length of the test window that follows it'),
    stepMonths: months.describe('how far the next window starts after this one'),
  })
  .refine((w) => w.stepMonths >= w.testMonths, {
    message: 'must be at least testMonths, so that test windows do not overlap',
    path: ['stepMonths'],
  });

/** A signal to inject: bought at the next open as if `strategy` had signalled it at `date`'s close. */
export const InjectedSignalSchema = z.strictObject({
  date: isoDate,
  symbol: z.string().min(1),
  strategy: StrategyIdSchema.describe("the lot is exited by this strategy's rules"),
  confidence: z.number().min(0).max(1).default(0.5).describe('ranks the signals of one day'),
  reason: z.string().min(1).default('injected'),
});
export type InjectedSignal = z.infer<typeof InjectedSignalSchema>;

/** The validation mode's signals (npm run inject), and how long to follow them. */
const InjectionSchema = z.strictObject({
  afterLastSignal: z
    .number()
    .int()
    .nonnegative()
    .default(60)
    .describe('trading days run after the last signal when period.to is not set'),
  signals: z.array(InjectedSignalSchema).min(1),
});

/** A research run: one document that local workers and a Fargate task both read. */
export const ResearchSpecSchema = z.strictObject({
  name: z.string().min(1).default('research'),
  data: z.string().min(1).default('data').describe('a data folder of the shipped layout'),
  period: z
    .strictObject({ from: isoDate.optional(), to: isoDate.optional() })
    .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, {
      message: 'from must not be after to',
      path: ['from'],
    })
    .prefault({}),
  config: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('overrides of the default config, as in a config file'),
  grid: z
    .record(
      z.string().regex(/^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)*$/, 'must be a dotted config path'),
      z.array(z.unknown()).min(1),
    )
    .default({})
    .describe('config path -> the values to try; the combinations are their cartesian product'),
  sample: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('try only this many combinations, drawn under the seed'),
  walkForward: WalkForwardSchema.optional(),
  inject: InjectionSchema.optional().describe("signals that replace the strategies' (inject)"),
  objective: z.enum(OBJECTIVES).default('sharpe'),
  top: z.number().int().positive().default(5).describe('how many of the best to print'),
  seed: z.number().int().nonnegative().max(MAX_SEED).default(1),
});
export type ResearchSpec = z.infer<typeof ResearchSpecSchema>;

/** One point of the grid: its position in the full product and the values of each grid path. */
export interface Combination {
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Parses a spec, naming each bad field by its path; every combination's config is checked too. */
export function parseSpec(input: unknown, source = 'spec'): ResearchSpec {
  const spec = parseNamingFields(ResearchSpecSchema, input, source);
  configFor(spec, {}, `${source}: config`);
  for (const combination of combinations(spec)) {
    configFor(spec, combination.params, `${source}: grid combination ${label(combination)}`);
  }
  return spec;
}

/** Parses a research document; a bad one fails with one line per problem, naming its field. */
export function parseNamingFields<T>(schema: z.ZodType<T>, input: unknown, source: string): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `  ${path}: ${issue.message}`;
  });
  throw new ConfigError(`${source} is invalid:\n${problems.join('\n')}`);
}

/** `path=value, …`, for messages and tables. */
export const label = ({ params }: Pick<Combination, 'params'>): string =>
  Object.entries(params)
    .map(([path, value]) => `${path}=${JSON.stringify(value)}`)
    .join(', ') || '(defaults)';

/** The config of one combination: the spec's overrides with the grid values set on top. */
export function configFor(
  spec: ResearchSpec,
  params: Readonly<Record<string, unknown>>,
  source = 'config',
): TradingConfig {
  let raw: Record<string, unknown> = structuredClone(spec.config);
  for (const [path, value] of Object.entries(params)) raw = setPath(raw, path.split('.'), value);
  return parseConfig(raw, source);
}

function setPath(
  target: Record<string, unknown>,
  [key, ...rest]: readonly string[],
  value: unknown,
): Record<string, unknown> {
  if (key === undefined) return target;
  if (rest.length === 0) return { ...target, [key]: value };
  const inner = target[key];
  const child =
    inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>) : {};
  return { ...target, [key]: setPath(child, rest, value) };
}

/**
 * The grid's combinations in a fixed order (the first path varies slowest), or the spec's `sample`
 * of them drawn under its seed and kept in that order. A spec without a grid has one: the defaults.
 */
export function combinations(spec: ResearchSpec): Combination[] {
  const paths = Object.keys(spec.grid);
  let all: Record<string, unknown>[] = [{}];
  for (const path of paths) {
    all = all.flatMap((params) => spec.grid[path]!.map((value) => ({ ...params, [path]: value })));
  }
  const indexed = all.map((params, index) => ({ index, params }));
  if (spec.sample === undefined || spec.sample >= indexed.length) return indexed;
  const random = mulberry32(spec.seed);
  // A partial Fisher-Yates shuffle picks the sample; sorting puts it back in grid order
  const pool = [...indexed];
  for (let i = 0; i < spec.sample; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, spec.sample).sort((a, b) => a.index - b.index);
}

/** A short hash of the parsed spec: shards of different specs must never merge. */
export const specFingerprint = (spec: ResearchSpec): string =>
  createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
