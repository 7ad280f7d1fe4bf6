import { TradingError } from '../../shared/domain/errors.js';
import { firstError, type LocalWorkflow } from './workflow.js';

/** A replayed day that did not complete: the replay stops there, as a live bot would be stopped. */
export class ReplayError extends TradingError {
  override name = 'ReplayError';
}

/** Runs the local workflow once per trading date, in order; stops at the first run that fails. */
export async function replayDates(
  workflow: LocalWorkflow,
  dates: readonly string[],
  onDay?: (done: number, date: string) => void,
): Promise<void> {
  for (const [i, date] of dates.entries()) {
    const outcome = await workflow.run(date);
    if (outcome.status !== 'succeeded') {
      const cause = firstError(outcome);
      throw new ReplayError(
        `${date}: ${cause ? `${cause.name}: ${cause.message}` : `${outcome.error?.name}: ${outcome.error?.message}`}`,
      );
    }
    onDay?.(i + 1, date);
  }
}
