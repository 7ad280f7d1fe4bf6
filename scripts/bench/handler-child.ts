/**
 * node out/bench/handler-child.mjs <bundle.mjs>
 * A Lambda cold start's own part, in a fresh process: import a handler's bundle, then
 * `handler.warm()`, the wiring and the step's dependencies its first invoke builds. The
 * environment is the caller's (a local one: see daily-run.ts). Prints the times as JSON.
 */
import { pathToFileURL } from 'node:url';

const [bundle] = process.argv.slice(2);
if (bundle === undefined) throw new Error('usage: handler-child <bundle.mjs>');
// Node's start-up and this script, before the bundle
const bootMs = performance.now();
const { handler } = (await import(pathToFileURL(bundle).href)) as {
  handler?: { warm?: () => Promise<unknown> };
};
const importMs = performance.now() - bootMs;
if (typeof handler?.warm !== 'function') throw new Error(`${bundle} exports no step handler`);
const started = performance.now();
await handler.warm();
const wireMs = performance.now() - started;
console.log(JSON.stringify({ bootMs, importMs, wireMs }));
