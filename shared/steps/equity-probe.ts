import * as z from 'zod';
import { TradingError } from '../domain/errors.js';
import { newYorkDateOf, newYorkTime } from '../domain/time.js';
import {
  type Broker,
  type Calendar,
  type Clock,
  equityKey,
  type LiveEquity,
  type StateStore,
} from '../ports/index.js';
import { ReportArtifactSchema } from './documents.js';

// Every NYSE session opens at 09:30 New York time; only the close moves (early-close days)
const SESSION_OPEN = '09:30';

/** What the schedule hands the probe: the tick's own time, for the log (the reading is of now). */
export const ProbeEventSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }) });

/** What the probe reads: the venue, the bot's equity history, the exchange calendar and now. */
export interface EquityProbeDeps {
  readonly broker: Broker;
  readonly store: StateStore;
  readonly calendar: Calendar;
  readonly clock: Clock;
}

/** The previous session's close a reading is against, and whose number it is. */
export interface PreviousClose {
  readonly date: string;
  readonly equity: number;
  /** `equity history`: the bot's own report of that close; `broker`: the venue's last-close equity */
  readonly source: 'equity history' | 'broker';
}

/** One tick of the probe: a reading of the session, or why there is none. */
export type EquityProbe =
  | { readonly read: false; readonly at: string; readonly reason: string }
  | {
      readonly read: true;
      readonly at: string;
      readonly tradingDate: string;
      /** The venue's live equity, dollars */
      readonly equity: number;
      /** Null when neither the history nor the venue has it: the equity is then published alone */
      readonly previousClose: PreviousClose | null;
      /** equity / previous close − 1; null without a previous close */
      readonly dailyReturn: number | null;
    };

/** The venue could not say what the account is worth: nothing is published this tick. */
export class EquityProbeError extends TradingError {
  override name = 'EquityProbeError';
}

/**
 * The circuit breaker's intraday reading: the account's live equity against the previous
 * session's close, the same return the daily run reports after the close. Outside the session it
 * reads nothing. A venue that fails throws: the next tick is the retry, and no reading is made up.
 */
export async function probeEquity({
  broker,
  store,
  calendar,
  clock,
}: EquityProbeDeps): Promise<EquityProbe> {
  const now = clock.now();
  const at = now.toISOString();
  const date = newYorkDateOf(now);
  const day = await calendar.day(date);
  if (!day.open) {
    return { read: false, at, reason: `the market is closed on ${date} (${day.reason})` };
  }
  if (now < newYorkTime(date, SESSION_OPEN) || now >= newYorkTime(date, day.closeTime)) {
    return {
      read: false,
      at,
      reason: `outside the session of ${date}, ${SESSION_OPEN}–${day.closeTime} New York time`,
    };
  }
  const previous = await calendar.previousSession(date);
  const [recorded, live] = await Promise.all([
    store.get(equityKey(previous), ReportArtifactSchema),
    liveEquity(broker, at),
  ]);
  const previousClose = previousCloseOf(previous, recorded?.value.equity, live.lastCloseEquity);
  return {
    read: true,
    at,
    tradingDate: date,
    equity: live.equity,
    previousClose,
    dailyReturn: previousClose && live.equity / previousClose.equity - 1,
  };
}

async function liveEquity(broker: Broker, at: string): Promise<LiveEquity> {
  try {
    return await broker.getLiveEquity();
  } catch (error) {
    const { name, message } = error as Error;
    throw new EquityProbeError(
      `the broker's live equity could not be read at ${at}, so nothing is published until the next tick: ${name}: ${message}`,
      { cause: error },
    );
  }
}

/**
 * The bot's own report of the close first: it values the books at the official closes, as the
 * daily run's return does. The venue's number covers a close the bot did not report (its first
 * day, a failed run). A close of no positive equity gives no return, rather than an infinite one.
 */
function previousCloseOf(
  date: string,
  recorded: number | undefined,
  venue: number | null,
): PreviousClose | null {
  if (recorded !== undefined && recorded > 0) {
    return { date, equity: recorded, source: 'equity history' };
  }
  if (venue !== null && venue > 0) return { date, equity: venue, source: 'broker' };
  return null;
}
