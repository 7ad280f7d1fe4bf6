import * as z from 'zod';
import { InvalidInputError } from '../domain/errors.js';
import { newYorkDateOf } from '../domain/time.js';

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

/** The trading date a start event names. */
export function tradingDateOf(input: StartEvent['input']): string {
  if ('tradingDate' in input) return input.tradingDate;
  const instant = new Date(input.scheduledTime);
  if (Number.isNaN(instant.getTime())) {
    throw new InvalidInputError(`scheduledTime ${input.scheduledTime} is not a time`);
  }
  return newYorkDateOf(instant);
}
