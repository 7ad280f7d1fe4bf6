import type { STEPS, StepName } from '../../shared/steps/pipeline.js';

/** A Lambda function of the daily run: the calendar check, then one per pipeline step. */
export type WorkflowFunction = 'check-calendar' | StepName;

type NamesOf<T extends readonly (readonly [string, unknown])[]> = {
  [K in keyof T]: T[K] extends readonly [infer Name, unknown] ? Name : never;
};

// A type-checked copy of STEPS' names rather than a runtime import: the CDK app and the local
// runner then load no trading code, and tsc fails if a step is added, removed or reordered
/** The pipeline's steps, in run order. */
export const STEP_NAMES = [
  'fetch-data',
  'detect-regime',
  'generate-signals',
  'filter-correlation',
  'size-positions',
  'check-risk',
  'execute-orders',
  'monitor-exits',
  'report',
] as const satisfies NamesOf<typeof STEPS>;

/** Every function the workflow invokes, in run order; the CDK stack and the local runner share it. */
export const WORKFLOW_FUNCTIONS = ['check-calendar', ...STEP_NAMES] as const;
