/**
 * node out/bench/handler-child.mjs <probe.mjs>
 * A Lambda cold start's own part, in a fresh process: import a handler's bundle (its probe, the
 * same bundle plus the `wire` and `loadEnv` it already holds, exported), then wire(loadEnv()) as
 * the first invoke does. The environment is the caller's (a local one: see daily-run.ts). Prints
 * the times as JSON.
 */
import { pathToFileURL } from 'node:url';

const [probe] = process.argv.slice(2);
if (probe === undefined) throw new Error('usage: handler-child <probe.mjs>');
// Node's start-up and this script, before the bundle
const bootMs = performance.now();
const module = (await import(pathToFileURL(probe).href)) as {
  handler: unknown;
  wire: (env: unknown) => Promise<unknown>;
  loadEnv: () => unknown;
};
const importMs = performance.now() - bootMs;
if (typeof module.handler !== 'function') throw new Error(`${probe} exports no handler`);
const started = performance.now();
await module.wire(module.loadEnv());
const wireMs = performance.now() - started;
console.log(JSON.stringify({ bootMs, importMs, wireMs }));
