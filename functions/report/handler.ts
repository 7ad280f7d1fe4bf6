import { parseEvent, stepHandler } from '#shared/runtime/handler.js';
import { mailer } from '#shared/runtime/mailer.js';
import { report } from '#shared/steps/report.js';
import {
  reportEventSchema,
  reportFailure,
  reportMarketClosed,
} from '#shared/steps/report-outcomes.js';

// One function, three states of the workflow: the day's report, the market-closed branch and the
// Catch that a failure lands in
export const handler = stepHandler(
  'report',
  (state) =>
    state.error !== undefined
      ? reportFailure
      : state.marketOpen === false
        ? reportMarketClosed
        : report,
  {
    parse: (event) => parseEvent(reportEventSchema(event), event, 'report event'),
    uses: { mailer },
  },
);
