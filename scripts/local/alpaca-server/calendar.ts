import { isSession, nextSession, nyseDay } from '../../../shared/domain/calendar/nyse.js';
import { newYorkTime } from '../../../shared/domain/time.js';
import { addDays, iso, newYorkDate } from './wire.js';

/** The open and close instants of a session; null when the NYSE does not trade on the date. */
export function sessionTimes(date: string): { open: Date; close: Date } | null {
  const day = nyseDay(date);
  if (!day.open) return null;
  return { open: newYorkTime(date, '09:30'), close: newYorkTime(date, day.closeTime) };
}

/** The first session on or after a date. */
export const sessionOnOrAfter = (date: string): string =>
  isSession(date) ? date : nextSession(date);

/** `GET /v2/clock`: is the market open at `now`, and when it next opens and closes. */
export function legacyClock(now: Date) {
  const today = newYorkDate(now);
  const times = sessionTimes(today);
  const next = sessionTimes(nextSession(today))!;
  return {
    timestamp: now.toISOString(),
    is_open: times !== null && now >= times.open && now < times.close,
    next_open: (times && now < times.open ? times.open : next.open).toISOString(),
    next_close: (times && now < times.close ? times.close : next.close).toISOString(),
  };
}

const NYSE = {
  acronym: 'NYSE',
  mic: 'XNYS',
  name: 'New York Stock Exchange',
  timezone: 'America/New_York',
};

/** `GET /v3/clock`: the same clock with Alpaca's phases (pre 04:00, core, post until 20:00). */
export function clockV3(now: Date) {
  const today = newYorkDate(now);
  const times = sessionTimes(today);
  const next = sessionOnOrAfter(times ? nextSession(today) : today);
  const nextTimes = sessionTimes(next)!;
  const phases = times
    ? ([
        ['closed', newYorkTime(today, '04:00')],
        ['pre', times.open],
        ['core', times.close],
        ['post', newYorkTime(today, '20:00')],
      ] as const)
    : [];
  const current = phases.find(([, until]) => now < until);
  return {
    clocks: [
      {
        market: NYSE,
        timestamp: now.toISOString(),
        is_market_day: times !== null,
        phase: current?.[0] ?? 'closed',
        phase_until: (current?.[1] ?? newYorkTime(next, '04:00')).toISOString(),
        next_market_open: (times && now < times.open ? times.open : nextTimes.open).toISOString(),
        next_market_close: (times && now < times.close
          ? times.close
          : nextTimes.close
        ).toISOString(),
      },
    ],
  };
}

/** Sessions from `start` through `end` (inclusive), oldest first, less any unscheduled closure. */
export function sessionsFrom(
  start: string,
  end: string,
  closures: readonly string[] = [],
): string[] {
  const sessions: string[] = [];
  for (let date = start; date <= end; date = addDays(date, 1)) {
    if (isSession(date) && !closures.includes(date)) sessions.push(date);
  }
  return sessions;
}

/** `GET /v2/calendar` entries: wall-clock times in New York, as Alpaca writes them. */
export function legacyCalendar(start: string, end: string, closures: readonly string[] = []) {
  return sessionsFrom(start, end, closures).map((date) => {
    const day = nyseDay(date);
    return {
      date,
      open: '09:30',
      close: day.open ? day.closeTime : '16:00',
      session_open: '0400',
      session_close: '2000',
      settlement_date: settlementDate(date),
    };
  });
}

/** `GET /v3/calendar/NYSE`: the same sessions with instants for each phase. */
export function calendarV3(start: string, end: string, closures: readonly string[] = []) {
  return {
    market: NYSE,
    calendar: sessionsFrom(start, end, closures).map((date) => {
      const times = sessionTimes(date)!;
      return {
        date,
        pre_start: iso(newYorkTime(date, '04:00')),
        pre_end: iso(times.open),
        core_start: iso(times.open),
        core_end: iso(times.close),
        post_start: iso(times.close),
        post_end: iso(newYorkTime(date, '20:00')),
        settlement_date: settlementDate(date),
      };
    }),
  };
}

// T+1 since 2024-05-28, T+2 since 2017-09-05, T+3 before; counted in sessions (bank holidays
// on which the exchange trades, such as Columbus Day, are not modelled)
function settlementDate(date: string): string {
  const lag = date >= '2024-05-28' ? 1 : date >= '2017-09-05' ? 2 : 3;
  let settles = date;
  for (let i = 0; i < lag; i++) settles = nextSession(settles);
  return settles;
}
