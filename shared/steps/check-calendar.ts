import { runKey } from '../ports/index.js';
import { PortfolioSchema, RunRecordSchema } from './documents.js';
import { RunOrderError } from './fetch-data.js';
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
    // Before the claim: a date the state has passed must not leave a run record behind
    const newest = await store.latestBefore('portfolio', '9999-12-31', PortfolioSchema);
    if (newest && newest.id > state.tradingDate) {
      // A completed earlier date is refused by the claim below, as already run
      const record = await store.get(runKey(state.tradingDate, 'record'), RunRecordSchema);
      if (record?.value.status !== 'succeeded') {
        throw new RunOrderError(
          `the state is already at the close of ${newest.id}: ${state.tradingDate} is not after it`,
        );
      }
    }
    const { resumed } = await claimRun(store, state.tradingDate, state.runId, clock.now());
    return { ...state, marketOpen: true, resumed };
  };
