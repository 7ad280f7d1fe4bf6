import { parseEvent, stepHandler } from '#shared/runtime/handler.js';
import { report } from '#shared/steps/report.js';
import {
  FailureStateSchema,
  reportFailure,
  reportMarketClosed,
} from '#shared/steps/report-outcomes.js';
import { RunStateSchema } from '#shared/steps/types.js';

// One function, three states of the workflow: the day's report, the market-closed branch and the
// Catch that a failure lands in (it writes `error` into the state)
export const handler = stepHandler(
  'report',
  (state) =>
    state.error !== undefined
      ? reportFailure
      : state.marketOpen === false
        ? reportMarketClosed
        : report,
  // A failure can come before check-calendar named the run, or from a malformed start
  (event) =>
    typeof event === 'object' && event !== null && 'error' in event
      ? parseEvent(FailureStateSchema, event, 'failure state')
      : parseEvent(RunStateSchema, event, 'RunState'),
);
