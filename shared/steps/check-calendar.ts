import { claimRun } from './run-record.js';
import type { StepFactory } from './types.js';

/**
 * Step 0: a weekend or holiday ends the run with a market-closed report; on a session (an early
 * close included) the run claims its trading date, so that it never trades twice.
 */
export const checkCalendar: StepFactory =
  ({ calendar, store, clock }) =>
  async (state) => {
    const day = await calendar.day(state.tradingDate);
    if (!day.open) return { ...state, marketOpen: false, closedReason: day.reason };
    const { resumed } = await claimRun(store, state.tradingDate, state.runId, clock.now());
    return { ...state, marketOpen: true, resumed };
  };
