import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Alpaca SDK's `/rest` entry as the Lambda bundles take it (LAMBDA_BUNDLING's alias), beside
 * the original so that its own imports resolve exactly as the original's do.
 */
export const ALPACA_REST = 'node_modules/@alpacahq/alpaca-trade-api/dist/rest.mjs';
export const ALPACA_REST_SHAKABLE =
  'node_modules/@alpacahq/alpaca-trade-api/dist/rest.shakable.mjs';

// tsup fills each of the SDK's namespaces (`trading`, `errors`, ...) with a statement,
// `var trading_exports = {}; __export(trading_exports, { ...a getter per export });`. esbuild must
// keep a statement and all it references, so every handler that imports `Alpaca` carried the
// whole generated API (360 KB, ~40 ms of a cold start). As a pure call that returns the object,
// a namespace nobody imports is dropped with what only it references; one that is imported
// stays whole, so the code behaves the same either way.
const NAMESPACE = /^var (\w+_exports) = \{\};\n__export\(\1, \{/gm;
const HELPER =
  '\n// Added for the Lambda bundles (infra/constructs/alpaca-rest.ts)\n' +
  'function __exportsOf(all) { var target = {}; __export(target, all); return target; }\n';

/** The SDK's `/rest` source with each namespace built by a pure call; throws if its shape changed. */
export function shakableAlpacaRest(source: string, file = ALPACA_REST): string {
  const statements = source.match(/^__export\(/gm)?.length ?? 0;
  let rewritten = 0;
  const shakable = source.replace(NAMESPACE, (_statement, name: string) => {
    rewritten++;
    return `var ${name} = /* @__PURE__ */ __exportsOf({`;
  });
  if (statements === 0 || rewritten !== statements || !/^var __export = /m.test(source)) {
    throw new Error(
      `${file}: expected tsup's "var <name>_exports = {}; __export(<name>_exports, {" for each of ` +
        `its ${statements} namespaces, rewrote ${rewritten}: the SDK's build changed, so ` +
        'infra/constructs/alpaca-rest.ts needs a look before the Lambda bundles can be built',
    );
  }
  return shakable + HELPER;
}

// Roots whose copy this process has written or found current: each function's construct asks (a
// synth has 13), and reading and rewriting the 0.8 MB file takes ~15-25 ms each time
const current = new Set<string>();

/** Writes the shakable copy of the installed SDK under `root` (when it differs) and returns its path. */
export function writeShakableAlpacaRest(root: string): string {
  const from = join(root, ALPACA_REST);
  const to = join(root, ALPACA_REST_SHAKABLE);
  if (current.has(to)) return to;
  const shakable = shakableAlpacaRest(readFileSync(from, 'utf8'), from);
  if (!existsSync(to) || readFileSync(to, 'utf8') !== shakable) {
    // Renamed into place: a build in another process (parallel tests, CDK's bundling) reads either
    // a whole copy or none, never a half-written one
    const partial = `${to}.${process.pid}.partial`;
    writeFileSync(partial, shakable);
    renameSync(partial, to);
  }
  current.add(to);
  return to;
}
