import { ALPACA_REST_SHAKABLE } from './alpaca-rest.js';

/**
 * How every workflow Lambda is bundled: the functions' NodejsFunction passes these to esbuild, and
 * the bench (scripts/bench/daily-run.ts) builds its handler bundles with the same, to measure what
 * is deployed. Plain values, so that neither loads aws-cdk-lib to read them.
 */
export const LAMBDA_BUNDLING = {
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  // CommonJS inside an ESM bundle requires Node built-ins (ws, the SDK): give it a require
  banner:
    "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  /**
   * Module replacements, paths relative to the repository root (NodejsFunction's esbuildArgs
   * `--alias:<module>=./<path>`). The SDK's default credential chain becomes the environment alone
   * (see the module): 16 % of each bundle and ~20 ms of its import in a fresh process.
   */
  alias: {
    '@aws-sdk/credential-provider-node': './shared/runtime/lambda-credentials.ts',
    // The SDK's namespaces made droppable (written before each build, see the module): 174
    // instead of 360 KB of every function that trades or reads the calendar, ~40 ms of its import
    '@alpacahq/alpaca-trade-api/rest': `./${ALPACA_REST_SHAKABLE}`,
  },
  /** Left out of every bundle: none (resvg is WebAssembly, see shared/reports/charts/png.ts) */
  external: [],
} as const;
