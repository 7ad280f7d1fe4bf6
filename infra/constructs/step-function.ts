import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { resvgAssetCopies } from '../../shared/reports/charts/png.js';
import { lexiconAssetCopies } from '../../shared/runtime/news.js';
import { writeShakableAlpacaRest } from './alpaca-rest.js';
import { LAMBDA_BUNDLING } from './lambda-bundling.js';
import type { BotFunction } from './workflow-functions.js';

/** The repository root: entries, the lock file and the bundling alias paths are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shell commands that copy a function's assets into its bundle's folder. */
type AssetCopies = (outputDir: string) => string[];

interface Size {
  readonly memoryMiB: number;
  readonly timeout: Duration;
}

// A light step reads a few documents, decides over 36 symbols and writes its artefact: ~0.2-0.3 s
// of import and wiring plus well under a second of work. 512 MiB gives a third of a vCPU (Lambda
// scales CPU with memory) for a cold start that is mostly parsing a ~0.4 MB bundle. The whole run
// is ~10 invocations a day, some 150 GB-s a month: inside the free tier at any of these sizes
const LIGHT: Size = { memoryMiB: 512, timeout: Duration.seconds(60) };

// A step that asks the broker takes seconds, but one read may take minutes when Alpaca is slow:
// up to 4 attempts of up to 30 s, and a 429 waits out its rate-limit window (up to 60 s) before
// the next, 5 minutes at worst. A shorter limit would cut a step off in its middle, between a
// stop's cancel and its exit say; the workflow retries one that timed out. Lambda bills the time
// used, not the limit
const BROKER_TIMEOUT = Duration.minutes(5);
const ASKS_THE_BROKER: Size = { memoryMiB: 512, timeout: BROKER_TIMEOUT };

const SIZES: Record<BotFunction, Size> = {
  // Alpaca's calendar
  'check-calendar': ASKS_THE_BROKER,
  // Fetches the day's bars for the universe from the broker (rate-limited, with retries), and reads
  // and writes the 0.84 MB market state: the most I/O and JSON of the run
  'fetch-data': { memoryMiB: 1024, timeout: BROKER_TIMEOUT },
  'detect-regime': LIGHT,
  // Alpaca's news
  'generate-signals': ASKS_THE_BROKER,
  'filter-correlation': LIGHT,
  'size-positions': LIGHT,
  // The day's candidates' asset listings from the broker, one request a symbol: a few a day
  'check-risk': ASKS_THE_BROKER,
  // Each order is looked up at the broker before and after it is sent
  'execute-orders': ASKS_THE_BROKER,
  'monitor-exits': ASKS_THE_BROKER,
  // Reads the equity series, renders the chart with d3 and resvg (WebAssembly, ~0.4 s the first
  // time), and sends the email through SES
  report: { memoryMiB: 1024, timeout: Duration.minutes(2) },
  // Two documents, a few order look-ups and cancels at the broker, one email
  halt: ASKS_THE_BROKER,
  // One account read at the broker and one document a tick, every few minutes of the session
  'equity-probe': LIGHT,
  // Reads every shard, copies the 7 MB data folder to /tmp and backtests the best combination
  // again (~2-4 s for 36 symbols over six years with a whole vCPU), then writes its files and
  // tearsheet: 1769 MiB is one full vCPU
  'backtest-merge': { memoryMiB: 1769, timeout: Duration.minutes(5) },
};

/**
 * The report's asset gets resvg's WebAssembly and the fonts beside its bundle (see png.ts): plain
 * copies from node_modules and the repository, so the synth stays offline and platform-free.
 */
const REPORT_ASSETS: AssetCopies = (outputDir) =>
  resvgAssetCopies(outputDir).flatMap(([from, to]) => [
    `mkdir -p "${dirname(to)}"`,
    `cp "${from}" "${to}"`,
  ]);

/**
 * generate-signals gets the VADER lexicon beside its bundle (see shared/runtime/news.ts): 441 KB
 * of CSV, a copy from the repository rather than code in the bundle.
 */
const SIGNALS_ASSETS: AssetCopies = (outputDir) =>
  lexiconAssetCopies(outputDir).map(([from, to]) => `cp "${from}" "${to}"`);

const ASSET_COPIES: Partial<Record<BotFunction, AssetCopies>> = {
  report: REPORT_ASSETS,
  'generate-signals': SIGNALS_ASSETS,
};

/** A function's asset copies, if it has any, go beside its bundle. */
const hooksFor = (step: BotFunction): ICommandHooks => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_, outputDir) => ASSET_COPIES[step]?.(outputDir) ?? [],
});

/**
 * The AWS Parameters and Secrets extension, through which the wiring reads the config parameter
 * and the Alpaca secret (shared/adapters/parameters-and-secrets.ts): no SDK client in a bundle for
 * one read per cold start. Its cache outlives an invoke, not a cold start's need: one read each
 */
const PARAMS_AND_SECRETS = ParamsAndSecretsLayerVersion.fromVersion(
  ParamsAndSecretsVersions.V1_0_103,
  { logLevel: ParamsAndSecretsLogLevel.WARN },
);

/** Props of a step's function (or the halt function's, which is built the same way). */
export interface StepFunctionProps {
  readonly step: BotFunction;
  readonly environment: Record<string, string>;
  readonly tracing: boolean;
}

/**
 * A workflow step's Lambda, or the halt function: `functions/<step>/handler.ts` bundled as
 * LAMBDA_BUNDLING says, Node 22 on arm64, with its own log group and a role that may write only to it.
 */
export class StepFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, { step, environment, tracing }: StepFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}-logs`, {
      retention: RetentionDays.ONE_MONTH,
      // Operational logs, not state: they go with the stack
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role instead of AWSLambdaBasicExecutionRole, whose log grant covers every log group
    const role = new Role(scope, `${id}-role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    const { memoryMiB, timeout } = SIZES[step];
    // LAMBDA_BUNDLING's alias points esbuild at it. Written here rather than in a hook: CDK builds
    // the bundling commands, hooks included, in the constructor, whether or not it then bundles
    writeShakableAlpacaRest(PROJECT_ROOT);
    super(scope, id, {
      entry: `${PROJECT_ROOT}functions/${step}/handler.ts`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: memoryMiB,
      timeout,
      role,
      logGroup,
      environment,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      paramsAndSecrets: PARAMS_AND_SECRETS,
      bundling: {
        commandHooks: hooksFor(step),
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLING.target,
        minify: LAMBDA_BUNDLING.minify,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        banner: LAMBDA_BUNDLING.banner,
        // Replaces CDK's default of leaving @aws-sdk/* out: the SDK is bundled (and the credential
        // alias below only works on a bundled SDK), at the versions the lock file pins
        externalModules: [...LAMBDA_BUNDLING.external],
        // CDK passes these to esbuild as `--alias:<module>=<path>`; esbuild runs in PROJECT_ROOT
        esbuildArgs: {
          '--alias': Object.entries(LAMBDA_BUNDLING.alias).map(([name, path]) => `${name}=${path}`),
        },
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node 22 on purpose: the bundles target node22 and the bench measures them there; ' +
        'moving to Node 24 is its own change, tested on that runtime',
    });
    if (tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing’s xray:PutTraceSegments and xray:PutTelemetryRecords support no ' +
          'resource-level permissions',
      });
    }
  }
}
