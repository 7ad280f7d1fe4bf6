import { failureEmail, marketClosedEmail } from './email.js';
import { sendOnce } from './outbox.js';
import { STEPS } from './pipeline.js';
import { finishRun } from './run-record.js';
import type { StepFactory } from './types.js';

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
  ({ store, mailer }) =>
  async (state) => {
    await sendOnce(
      store,
      mailer,
      marketClosedEmail(state.tradingDate, state.closedReason ?? 'closed'),
      state.runId,
    );
    return state;
  };

/** The Catch branch: marks the run failed (so a restart resumes it) and sends the failure email. */
export const reportFailure: StepFactory =
  ({ store, mailer, clock }) =>
  async (state) => {
    const step = failedStepAfter(state.lastStep);
    const error = state.error?.Error ?? 'unknown error';
    const cause = messageOf(state.error?.Cause);
    await finishRun(store, state.tradingDate, state.runId, {
      status: 'failed',
      error: `${step}: ${error}: ${cause}`,
      now: clock.now(),
    });
    await sendOnce(store, mailer, failureEmail(state.tradingDate, step, error, cause), state.runId);
    return state;
  };
