import { parseEvent, stepHandler } from '#shared/runtime/handler.js';
import { checkCalendar } from '#shared/steps/check-calendar.js';
import { StartEventSchema, tradingDateOf } from '#shared/steps/start-event.js';

// The workflow's input (a trading date, or the schedule's time) and the execution's id
export const handler = stepHandler('check-calendar', () => checkCalendar, {
  parse: (event) => {
    const { input, executionId } = parseEvent(StartEventSchema, event, 'workflow input');
    return { tradingDate: tradingDateOf(input), runId: executionId };
  },
});
