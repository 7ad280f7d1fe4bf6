import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { InvalidInputError } from '../domain/errors.js';
import {
  type RunState,
  RunStateSchema,
  type Step,
  type StepDeps,
  type StepFactory,
} from '../steps/types.js';
import { type Uses, type Wiring, wire } from './deps.js';
import { loadEnv } from './env.js';
import { logger, publishMetrics } from './powertools.js';

// Init phase: once per cold start, reused while warm. A bad environment fails the first invoke.
// Keyed by the environment: a Lambda's never changes, a local process may open another state
let wiring: { key: string; wiring: Promise<Wiring> } | undefined;

/** The wiring of the current environment, built on first use. */
export function wired(): Promise<Wiring> {
  const env = loadEnv();
  const key = JSON.stringify(env);
  if (wiring?.key !== key) wiring = { key, wiring: wire(env) };
  return wiring.wiring;
}

/** Parses an event through a schema; InvalidInputError names each bad field. */
export function parseEvent<T>(schema: z.ZodType<T>, event: unknown, what: string): T {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
    throw new InvalidInputError(`${what}: ${fields.join('; ')}`);
  }
  return parsed.data;
}

/** How a step's handler reads its event, and the parts of the wiring its step uses. */
export interface StepHandlerOptions {
  /** Default: the RunState schema */
  readonly parse?: (event: unknown) => RunState;
  /** Default: none, only the core (config, state documents, calendar, clock) */
  readonly uses?: Uses;
}

const NO_PARTS: Uses = {};

/**
 * A step's Lambda handler: the RunState parsed, the trading date on every log line, the step
 * run with the cold start's wiring, its metrics published. No try/catch: the state machine decides
 * what a failure means.
 */
export function stepHandler(
  name: string,
  choose: (state: RunState) => StepFactory,
  {
    parse = (event) => parseEvent(RunStateSchema, event, 'RunState'),
    uses = NO_PARTS,
  }: StepHandlerOptions = {},
) {
  // Built once per wiring: a step closes over the dependencies it was made with
  const steps = new WeakMap<StepDeps, Map<StepFactory, Step>>();
  const handler = middy<unknown, RunState, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const state = parse(event);
      logger.appendKeys({ tradingDate: state.tradingDate, step: name, runId: state.runId });
      const wiring = await wired();
      const deps = await wiring.depsFor(uses, name);
      wiring.atRun(state.tradingDate);
      const factory = choose(state);
      const built = steps.get(deps) ?? new Map<StepFactory, Step>();
      steps.set(deps, built);
      let step = built.get(factory);
      if (step === undefined) {
        step = factory(deps);
        built.set(factory, step);
      }
      const next = await step(state);
      logger.info(`${name} done`, { counts: next.counts, tradingState: next.tradingState });
      publishMetrics(name, next);
      return { ...next, lastStep: name };
    });
  return Object.assign(handler, {
    /** The parts of the wiring this handler names (the infrastructure grants by them) */
    uses,
    /** The first invoke's wiring and this step's dependencies, built without running the step. */
    warm: async (): Promise<StepDeps> => (await wired()).depsFor(uses, name),
  });
}

/**
 * A Lambda outside the workflow (the halt, the backtest merge): the steps' logger and cold-start
 * wiring around its own event and result. `uses` names the parts it may ask the wiring for, as a
 * step handler's do (the infrastructure grants by them).
 */
export function eventHandler<R>(
  uses: Uses,
  run: (event: unknown, wiring: () => Promise<Wiring>) => Promise<R>,
) {
  const handler = middy<unknown, R, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => run(event, wired));
  return Object.assign(handler, { uses });
}
