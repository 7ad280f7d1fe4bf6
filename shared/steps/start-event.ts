import * as z from 'zod';
import { InvalidInputError } from '../domain/errors.js';

/**
 * What check-calendar receives: the workflow's input and the execution's id. The input names the
 * trading date, or carries the schedule's time (EventBridge Scheduler's `<aws.scheduler.scheduled-time>`),
 * whose New York date is the trading date.
 */
export const StartEventSchema = z.object({
  input: z.union([
    z.object({ tradingDate: z.iso.date() }),
    z.object({ scheduledTime: z.iso.datetime({ offset: true }) }),
  ]),
  executionId: z.string().min(1),
});
export type StartEvent = z.infer<typeof StartEventSchema>;

const newYorkDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The trading date a start event names. */
export function tradingDateOf(input: StartEvent['input']): string {
  if ('tradingDate' in input) return input.tradingDate;
  const instant = new Date(input.scheduledTime);
  if (Number.isNaN(instant.getTime())) {
    throw new InvalidInputError(`scheduledTime ${input.scheduledTime} is not a time`);
  }
  return newYorkDate.format(instant);
}
