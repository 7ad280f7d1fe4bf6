import { calendar } from '#shared/runtime/calendar.js';
import { parseEvent, stepHandler } from '#shared/runtime/handler.js';
import { checkCalendar } from '#shared/steps/check-calendar.js';
import { StartEventSchema, tradingDateOf } from '#shared/steps/start-event.js';

// The workflow's input (a trading date, or the schedule's time) and the execution's id. The
// calendar is Alpaca's on BROKER=alpaca: an unscheduled closure ends the run as market closed
export const handler = stepHandler('check-calendar', () => checkCalendar, {
  uses: { calendar },
  parse: (event) => {
    const { input, executionId } = parseEvent(StartEventSchema, event, 'workflow input');
    return { tradingDate: tradingDateOf(input), runId: executionId };
  },
});
