import { TradingError } from '../domain/errors.js';
import { newYorkTime } from '../domain/time.js';
import { runKey, VENUE_OPENED_KEY } from '../ports/index.js';
import { PortfolioSchema, RunRecordSchema, VenueOpenedSchema } from './documents.js';
import { assertVenueNotPast, RunOrderError } from './fetch-data.js';
import { claimRun } from './run-record.js';
import type { StepFactory } from './types.js';

/** How long after the close a run may start: the day's bar takes its closing prints first. */
export const AFTER_THE_CLOSE_MINUTES = 10;

/** A run started before its session closed (and settled): it would trade on a bar still forming. */
export class MarketNotClosedError extends TradingError {
  override name = 'MarketNotClosedError';
}

/**
 * Step 0: a weekend or holiday ends the run with a market-closed report; on a session (an early
 * close included) the run claims its trading date, so that it never trades twice. A session that
 * has not closed yet is refused before anything is claimed: the day's bar, its fills and its books
 * are the close's, and a run that took a bar still forming would mark the date done, so the run
 * after the close would find nothing left to do.
 */
export const checkCalendar: StepFactory =
  ({ calendar, store, clock }) =>
  async (state) => {
    const day = await calendar.day(state.tradingDate);
    if (!day.open) return { ...state, marketOpen: false, closedReason: day.reason };
    const earliest = new Date(
      newYorkTime(state.tradingDate, day.closeTime).getTime() + AFTER_THE_CLOSE_MINUTES * 60_000,
    );
    const now = clock.now();
    if (now < earliest) {
      const after = `${AFTER_THE_CLOSE_MINUTES} minutes after`;
      throw new MarketNotClosedError(
        `${state.tradingDate} closes at ${day.closeTime} New York time: its run may start from ` +
          `${earliest.toISOString()}, ${after}, and it is ${now.toISOString()}`,
      );
    }
    // Before the claim: a date the state or the venue has passed must not leave a run record behind
    const [newest, opened] = await Promise.all([
      store.latestBefore('portfolio', '9999-12-31', PortfolioSchema),
      store.get(VENUE_OPENED_KEY, VenueOpenedSchema),
    ]);
    const date = state.tradingDate;
    const venuePast = opened !== undefined && opened.value.tradingDate > date;
    if (venuePast || (newest && newest.id > date)) {
      // A completed earlier date is refused by the claim below, as already run
      const record = await store.get(runKey(date, 'record'), RunRecordSchema);
      if (record?.value.status !== 'succeeded') {
        assertVenueNotPast(opened?.value, date);
        throw new RunOrderError(
          `the state is already at the close of ${newest!.id}: ${date} is not after it`,
        );
      }
    }
    const { resumed } = await claimRun(store, state.tradingDate, state.runId, clock.now());
    return { ...state, marketOpen: true, resumed };
  };
