import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias in
 * infra/constructs/lambda-bundling.ts). Lambda hands a function its role's credentials in the
 * environment, and the environment is the first source the SDK's default chain tries; the rest of
 * the chain (SSO, profiles, web identity, container and instance metadata, with their STS and SSO
 * clients) never runs there, yet is ~105 KB of every minified bundle, parsed at each cold start.
 * Without the variables the first AWS call fails: "Unable to find environment variable credentials".
 * Code that is not bundled for Lambda (tests, local runs, the backtest task) keeps the whole chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
