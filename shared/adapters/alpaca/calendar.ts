import type { Alpaca } from '@alpacahq/alpaca-trade-api/rest';
import { FIRST_DATE, LAST_DATE, nyseDay } from '../../domain/calendar/nyse.js';
import { BrokerUnavailableError, InvalidInputError } from '../../domain/errors.js';
import type { Calendar, MarketDay } from '../../ports/index.js';
import { addDays, utcDate } from './dates.js';
import { mapRead } from './errors.js';

interface Session {
  readonly date: string;
  /** New York wall-clock close, HH:MM */
  readonly close: string;
}

const CALL = 'GET /v2/calendar';
// A week back always holds a session except after a long closure (four days in 2001): widen then
const LOOKBACK_DAYS = [10, 40];

/**
 * The exchange calendar as Alpaca publishes it (`GET /v2/calendar`, sessions only, with the day's
 * open and close in New York time), so an unscheduled closure reaches the bot without a code
 * change. One request a call.
 */
export class AlpacaCalendar implements Calendar {
  readonly #client: Alpaca;

  constructor(client: Alpaca) {
    this.#client = client;
  }

  async day(date: string): Promise<MarketDay> {
    const [session] = await this.#sessions(date, date);
    if (session) {
      return { date, open: true, closeTime: session.close, earlyClose: session.close < '16:00' };
    }
    return { date, open: false, reason: closedReason(date) };
  }

  async previousSession(date: string): Promise<string> {
    for (const days of LOOKBACK_DAYS) {
      const sessions = await this.#sessions(addDays(date, -days), addDays(date, -1));
      const last = sessions.at(-1);
      if (last) return last.date;
    }
    throw new InvalidInputError(`Alpaca's calendar has no session in the 40 days before ${date}`);
  }

  async sessionsBetween(after: string, before: string): Promise<readonly string[]> {
    const [first, last] = [addDays(after, 1), addDays(before, -1)];
    if (first > last) return [];
    return (await this.#sessions(first, last)).map((session) => session.date);
  }

  /** The sessions from `first` through `last`, oldest first. */
  async #sessions(first: string, last: string): Promise<Session[]> {
    const days = await mapRead(CALL, BrokerUnavailableError, () =>
      this.#client.trading.calendar.legacyCalendar({ start: utcDate(first), end: utcDate(last) }),
    );
    const sessions = days.map((day) => ({
      date: day.date.toISOString().slice(0, 10),
      close: day.close,
    }));
    for (const { date, close } of sessions) {
      if (!/^\d{2}:\d{2}$/.test(close)) {
        throw new InvalidInputError(`Alpaca ${CALL}: ${date} closes at "${close}", expected HH:MM`);
      }
    }
    // The SDK sends the dates as UTC instants; keep only the dates asked for whatever Alpaca reads
    return sessions.filter(({ date }) => date >= first && date <= last);
  }
}

// Alpaca lists sessions only: a weekday it leaves out is a holiday, named by the NYSE rules when
// they agree that the exchange is closed, and a closure they cannot know (a day of mourning) when
// they would open it
function closedReason(date: string): string {
  const weekday = utcDate(date).getUTCDay();
  if (weekday === 0 || weekday === 6) return 'weekend';
  if (date < FIRST_DATE || date > LAST_DATE) return 'holiday';
  const local = nyseDay(date);
  return local.open ? 'unscheduled closure' : local.reason;
}
