/**
 * node out/bench/daily-run-phases.mjs <date> <dataDir>   (cwd: a copy of a warm state folder)
 * One daily run as `npm start -- --date <date>` makes it, through the same openLocalWorkflow and
 * workflow.run, with its parts timed from outside them, and the HTTP round trips of each step; JSON
 * on stdout. The whole process is timed on the real out/bench/daily-run.mjs (see daily-run.ts).
 * What this child adds, none of which changes what the run does:
 * - the definition build is timed by its temporary directory (mkdtempSync … rmSync);
 * - StateMachine.prototype.run wraps each task's local handler to time it and name its round trips;
 * - the first invoke's wiring, wired(), is called just before the execution rather than at the
 *   start of check-calendar's invoke, so that it is timed on its own (the handlers reuse it);
 * - diagnostics_channel sees every HTTP request to dynalite and s3rver.
 */

import dc from 'node:diagnostics_channel';
import fs from 'node:fs';
import { ClientRequest } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { StateMachine } from 'aws-local-stepfunctions';
import { runKey } from '../../shared/ports/index.js';
import { EmailLogSchema } from '../../shared/steps/documents.js';
import { describeStep } from '../local/describe.js';
import { openLocalWorkflow } from '../local/workflow.js';

// Since the process started: Node's own start-up, then loading and evaluating every module
const importedMs = performance.now();

/** What the round trips to dynalite and s3rver of one part of the run were for, dates left out. */
export interface RoundTrips {
  count: number;
  /** Wall time with at least one request in flight (parallel requests count once) */
  ms: number;
  /** Every request's own time, summed */
  sumMs: number;
  /** Per operation and key, e.g. "GetItem RUN#/working-portfolio" or "S3 GET runs/features.json" */
  readonly byKey: Record<string, { count: number; ms: number }>;
}

/** The parts of one daily run, in milliseconds, and each step's time and round trips. */
export interface PhasesResult {
  readonly date: string;
  readonly status: string;
  /** Node's start-up and every module's load and evaluation, from process start */
  readonly importsMs: number;
  /** dynalite and s3rver started, the table and bucket there: to the last response in open */
  readonly servicesMs: number;
  /** localWorkflowDefinition(): the CDK app synthesized and its ASL read back */
  readonly definitionMs: number;
  /** The rest of openLocalWorkflow: the handlers' modules, the StateMachine */
  readonly handlersMs: number;
  /** wire(env): config, the data folder, the venue, the clients (the first invoke's part) */
  readonly wiringMs: number;
  /** workflow.run(date), every task included */
  readonly runMs: number;
  /** Printing the steps and reading the day's email log, as npm start does */
  readonly printMs: number;
  readonly closeMs: number;
  /** From process start to the end of close(): what remains of the wall time is exit and spawn */
  readonly endMs: number;
  readonly steps: readonly {
    state: string;
    ms: number;
    roundTrips: RoundTrips;
    /** process.hrtime in µs, the clock of a --cpu-prof profile: to read one step's samples */
    windowUs: [number, number];
  }[];
  /** The execution's start and end in process.hrtime µs */
  readonly runWindowUs: [number, number];
  /** Round trips outside the tasks: the table and bucket, the run's first read, the email log */
  readonly otherRoundTrips: RoundTrips;
}

const hrtimeUs = () => Number(process.hrtime.bigint() / 1000n);
const emptyTrips = (): RoundTrips => ({ count: 0, ms: 0, sumMs: 0, byKey: {} });

// Round trips, attributed to whatever is running: the tasks run one after another
const other = emptyTrips();
let current = other;
let lastResponseMs = 0;
let inFlight = 0;
let busySince = 0;
const sent = new WeakMap<object, { at: number; trips: RoundTrips }>();
const bodies = new WeakMap<object, string>();
const plainEnd = ClientRequest.prototype.end;
// The SDK writes a request's whole body with end(): kept to say which item a call was for
ClientRequest.prototype.end = function (this: ClientRequest, ...args: unknown[]) {
  const [chunk] = args;
  if (typeof chunk === 'string' || chunk instanceof Uint8Array) {
    bodies.set(this, Buffer.from(chunk as Uint8Array).toString('utf8'));
  }
  return (plainEnd as (...a: unknown[]) => ClientRequest).apply(this, args);
} as typeof ClientRequest.prototype.end;
dc.subscribe('http.client.request.start', (message) => {
  const { request } = message as { request: object };
  const at = performance.now();
  sent.set(request, { at, trips: current });
  if (inFlight++ === 0) busySince = at;
});
dc.subscribe('http.client.response.finish', (message) => {
  const { request } = message as { request: ClientRequest };
  const start = sent.get(request);
  if (start === undefined) return;
  lastResponseMs = performance.now();
  const ms = lastResponseMs - start.at;
  const what = describeRequest(request, bodies.get(request));
  const trips = start.trips;
  trips.count += 1;
  trips.sumMs += ms;
  if (--inFlight === 0) trips.ms += lastResponseMs - busySince;
  const entry = trips.byKey[what] ?? { count: 0, ms: 0 };
  trips.byKey[what] = entry;
  entry.count += 1;
  entry.ms += ms;
});

const undated = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}/g, '').replace(/\/\//g, '/');

function describeRequest(request: ClientRequest, body: string | undefined): string {
  const target = request.getHeader('x-amz-target');
  if (typeof target === 'string') {
    const operation = target.split('.')[1] ?? target;
    try {
      type Key = { pk?: { S?: string }; sk?: { S?: string } };
      const input = JSON.parse(body ?? '{}') as {
        Key?: Key;
        Item?: Key;
        RequestItems?: Record<string, { Keys?: Key[] } | unknown[]>;
        ExpressionAttributeValues?: Record<string, { S?: string }>;
      };
      const key = input.Key ?? input.Item;
      if (key !== undefined) return `${operation} ${undated(`${key.pk?.S}/${key.sk?.S}`)}`;
      const pk = input.ExpressionAttributeValues?.[':pk']?.S;
      if (pk !== undefined) return `${operation} ${undated(pk)}`;
      if (input.RequestItems !== undefined) {
        const items = Object.values(input.RequestItems).flatMap((r) =>
          Array.isArray(r) ? r : (r.Keys ?? []),
        );
        return `${operation} (${items.length} items)`;
      }
    } catch {
      // Not JSON: the operation alone
    }
    return operation;
  }
  // Path-style S3: /bucket/key
  const key = request.path.split('?')[0]!.split('/').slice(2).join('/');
  return `S3 ${request.method} ${undated(key)}`;
}

// The definition build, by the temporary directory localWorkflowDefinition makes and removes
// (synthesizeLocally names it after the stack, LocalTradingWorkflow)
const definition = { start: 0, end: 0, servicesEnd: 0 };
const { mkdtempSync, rmSync } = fs;
fs.mkdtempSync = ((prefix: string, options?: unknown) => {
  if (String(prefix).includes('LocalTradingWorkflow-')) {
    definition.start = performance.now();
    definition.servicesEnd = lastResponseMs;
  }
  return (mkdtempSync as (p: string, o?: unknown) => string)(prefix, options);
}) as typeof fs.mkdtempSync;
fs.rmSync = ((path: fs.PathLike, options?: fs.RmOptions) => {
  rmSync(path, options);
  if (String(path).includes('LocalTradingWorkflow-')) definition.end = performance.now();
}) as typeof fs.rmSync;
syncBuiltinESMExports();

// Each task's local handler, timed, its round trips its own
interface StepRecord {
  state: string;
  ms: number;
  roundTrips: RoundTrips;
  windowUs: [number, number];
}
const steps: StepRecord[] = [];
type LocalHandler = (payload: unknown) => Promise<unknown>;
type RunOptions = {
  overrides?: { taskResourceLocalHandlers?: Record<string, LocalHandler> };
} & Record<string, unknown>;
const plainRun = StateMachine.prototype.run;
StateMachine.prototype.run = function (this: StateMachine, input: unknown, options?: RunOptions) {
  const handlers = options?.overrides?.taskResourceLocalHandlers ?? {};
  const timed = Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => [
      state,
      async (payload: unknown) => {
        const trips = emptyTrips();
        current = trips;
        const started = performance.now();
        const startUs = hrtimeUs();
        try {
          return await handler(payload);
        } finally {
          const ms = performance.now() - started;
          steps.push({ state, ms, roundTrips: trips, windowUs: [startUs, hrtimeUs()] });
          current = other;
        }
      },
    ]),
  );
  const overrides = { ...options?.overrides, taskResourceLocalHandlers: timed };
  return plainRun.call(this, input as never, { ...options, overrides } as never);
} as typeof StateMachine.prototype.run;

async function main(): Promise<PhasesResult> {
  const [date, dataDir] = process.argv.slice(2);
  if (date === undefined || dataDir === undefined) {
    throw new Error('usage: daily-run-phases <date> <dataDir>');
  }
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  const opened = t;
  const workflow = await openLocalWorkflow({
    stateDir: '.local',
    dataDir,
    broker: 'simulated',
  });
  const openMs = lap();
  if (!(definition.start > 0 && definition.end > definition.start)) {
    throw new Error('the definition build was not seen: did localWorkflowDefinition change?');
  }
  const servicesMs = definition.servicesEnd - opened;
  const definitionMs = definition.end - definition.start;
  const handlersMs = openMs - (definition.end - opened);
  // The module the handlers share (loaded by them, in the bundle): the wiring they then reuse
  const { wired } = await import('../../shared/runtime/handler.js');
  await wired();
  const wiringMs = lap();
  const runStartUs = hrtimeUs();
  const outcome = await workflow.run(date);
  const runMs = lap();
  const runWindowUs: [number, number] = [runStartUs, hrtimeUs()];
  for (const { state, output, error } of outcome.steps) {
    console.error(describeStep(state, output, error));
  }
  const emails = await workflow.store.get(runKey(date, 'email'), EmailLogSchema);
  console.error(`${emails?.value.sent.length ?? 0} email(s)`);
  const printMs = lap();
  await workflow.close();
  const closeMs = lap();
  return {
    date,
    status: outcome.status === 'succeeded' ? 'succeeded' : `failed: ${outcome.error?.message}`,
    importsMs: importedMs,
    servicesMs,
    definitionMs,
    handlersMs,
    wiringMs,
    runMs,
    printMs,
    closeMs,
    endMs: performance.now(),
    steps,
    runWindowUs,
    otherRoundTrips: other,
  };
}

console.log(JSON.stringify(await main()));
