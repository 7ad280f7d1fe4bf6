import { checkRisk } from './check-risk.js';
import { detectRegime } from './detect-regime.js';
import { executeOrders } from './execute-orders.js';
import { fetchData } from './fetch-data.js';
import { filterCorrelation } from './filter-correlation.js';
import { generateSignals } from './generate-signals.js';
import { monitorExits } from './monitor-exits.js';
import { report } from './report.js';
import { sizePositions } from './size-positions.js';
import type { Step, StepDeps, StepFactory } from './types.js';

/** The daily run, in order. Names are the Lambda folders and (with -task) the state names. */
export const STEPS = [
  ['fetch-data', fetchData],
  ['detect-regime', detectRegime],
  ['generate-signals', generateSignals],
  ['filter-correlation', filterCorrelation],
  ['size-positions', sizePositions],
  ['check-risk', checkRisk],
  ['execute-orders', executeOrders],
  ['monitor-exits', monitorExits],
  ['report', report],
] as const satisfies readonly (readonly [string, StepFactory])[];

export type StepName = (typeof STEPS)[number][0];

/** The steps wired to one set of dependencies, in run order. */
export function pipeline(deps: StepDeps): { name: StepName; run: Step }[] {
  return STEPS.map(([name, factory]) => ({ name, run: factory(deps) }));
}
