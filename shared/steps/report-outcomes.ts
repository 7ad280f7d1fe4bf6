import * as z from 'zod';
import { emailSettings } from '../domain/config.js';
import { failureEmail, marketClosedEmail } from './email.js';
import { sendOnce } from './outbox.js';
import { STEPS } from './pipeline.js';
import { finishRun } from './run-record.js';
import { tradingDateOf } from './start-event.js';
import { type RunState, RunStateSchema, type StepFactory, WorkflowErrorSchema } from './types.js';

/**
 * What the Catch hands the failure report: the state as it was when the step failed — the
 * workflow's raw input if check-calendar failed, so no run id yet and perhaps a malformed date —
 * with the error added, and the execution's id.
 */
export const FailureEventSchema: z.ZodType<RunState> = z
  .object({
    failed: z.looseObject({
      tradingDate: z.string().optional(),
      scheduledTime: z.string().optional(),
      runId: z.string().min(1).optional(),
      lastStep: z.string().optional(),
      error: WorkflowErrorSchema,
    }),
    executionId: z.string().min(1),
  })
  .transform(({ failed, executionId }) => ({
    ...(failed as RunState),
    tradingDate: failed.tradingDate ?? dateOfSchedule(failed.scheduledTime),
    runId: failed.runId ?? executionId,
  }));

/** The schema of what the report function received: a failure (from the Catch) or a RunState. */
export const reportEventSchema = (event: unknown): z.ZodType<RunState> =>
  typeof event === 'object' && event !== null && 'failed' in event
    ? FailureEventSchema
    : RunStateSchema;

function dateOfSchedule(scheduledTime: string | undefined): string {
  if (scheduledTime === undefined) return 'unknown date';
  try {
    return tradingDateOf({ scheduledTime });
  } catch {
    return `unknown date (scheduledTime ${scheduledTime})`;
  }
}

const ORDER = ['check-calendar', ...STEPS.map(([name]) => name)];

/** The step that failed: the one after the last that completed. */
export function failedStepAfter(lastStep: string | undefined): string {
  if (lastStep === undefined) return ORDER[0]!;
  return ORDER[ORDER.indexOf(lastStep) + 1] ?? 'unknown step';
}

/** A Lambda error's Cause is its JSON ({ errorType, errorMessage, trace }); anything else as it is. */
function messageOf(cause: string | undefined): string {
  if (!cause) return 'no cause given';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

/** The market-closed branch: says so, once per date, and ends the run cleanly. */
export const reportMarketClosed: StepFactory =
  ({ store, mailer, config }) =>
  async (state) => {
    await sendOnce(
      store,
      mailer,
      {
        kind: 'market-closed',
        tradingDate: state.tradingDate,
        build: () =>
          marketClosedEmail(
            state.tradingDate,
            state.closedReason ?? 'closed',
            emailSettings(config),
          ),
      },
      state.runId,
    );
    return state;
  };

/** The Catch branch: marks the run failed (so a restart resumes it) and sends the failure email. */
export const reportFailure: StepFactory =
  ({ store, mailer, clock, config }) =>
  async (state) => {
    const step = failedStepAfter(state.lastStep);
    const error = state.error?.Error ?? 'unknown error';
    const cause = messageOf(state.error?.Cause);
    const message = failureEmail(
      { tradingDate: state.tradingDate, step, error, cause, runId: state.runId },
      emailSettings(config),
    );
    // A malformed date keys nothing in the store: say so by mail all the same
    if (!z.iso.date().safeParse(state.tradingDate).success) {
      await mailer?.send(message);
      return state;
    }
    await finishRun(store, state.tradingDate, state.runId, {
      status: 'failed',
      error: `${step}: ${error}: ${cause}`,
      now: clock.now(),
    });
    await sendOnce(
      store,
      mailer,
      { kind: 'failure', tradingDate: state.tradingDate, build: () => message },
      state.runId,
    );
    return state;
  };
