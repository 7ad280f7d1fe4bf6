import { InvalidInputError } from '../errors.js';
import { assertIsoDate } from '../time.js';
import type { MarketDay } from './market-day.js';

// NYSE's own rules, computed rather than downloaded so a backtest and a live run agree offline.
// From 2000 on the rules below reproduce the exchange's record; past today they are its current
// rules, so an unscheduled future closure (a day of mourning, a storm) needs a line in the tables
export const FIRST_DATE = '2000-01-01';
export const LAST_DATE = '2099-12-31';

const DAY_MS = 86_400_000;
const [SUNDAY, MONDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY] = [0, 1, 3, 4, 5, 6];

// Closures the exchange announced for one day only
const SPECIAL_CLOSURES: Readonly<Record<string, string>> = {
  '2001-09-11': 'September 11 attacks',
  '2001-09-12': 'September 11 attacks',
  '2001-09-13': 'September 11 attacks',
  '2001-09-14': 'September 11 attacks',
  '2004-06-11': 'National Day of Mourning for President Ronald Reagan',
  '2007-01-02': 'National Day of Mourning for President Gerald R. Ford',
  '2012-10-29': 'Hurricane Sandy',
  '2012-10-30': 'Hurricane Sandy',
  '2018-12-05': 'National Day of Mourning for President George H.W. Bush',
  '2025-01-09': 'National Day of Mourning for President Jimmy Carter',
};

// The one 13:00 close since 2000 that the weekday rules do not produce (the Friday after Christmas)
const SPECIAL_EARLY_CLOSES: ReadonlySet<string> = new Set(['2003-12-26']);

/** The NYSE's view of a date: open with its close time, or closed with the weekend or holiday. */
export function nyseDay(date: string): MarketDay {
  const [year, month, day] = supportedParts(date);
  const weekday = (Date.UTC(year, month - 1, day) / DAY_MS + 4) % 7; // 1970-01-01 was a Thursday
  if (weekday === SATURDAY || weekday === SUNDAY) return { date, open: false, reason: 'weekend' };

  const holiday = SPECIAL_CLOSURES[date] ?? holidayName(year, month, day, weekday);
  if (holiday) return { date, open: false, reason: holiday };

  const earlyClose = SPECIAL_EARLY_CLOSES.has(date) || isEarlyClose(year, month, day, weekday);
  return { date, open: true, closeTime: earlyClose ? '13:00' : '16:00', earlyClose };
}

/** True when the NYSE trades on the date. */
export function isSession(date: string): boolean {
  return nyseDay(date).open;
}

/** The last session strictly before a date. */
export function previousSession(date: string): string {
  return adjacentSession(date, -1);
}

/** The first session strictly after a date. */
export function nextSession(date: string): string {
  return adjacentSession(date, 1);
}

/** Sessions strictly after `after` and strictly before `before`, oldest first. */
export function sessionsBetween(after: string, before: string): string[] {
  supportedParts(after, 'after');
  supportedParts(before, 'before');
  const sessions: string[] = [];
  for (let date = addDays(after, 1); date < before; date = addDays(date, 1)) {
    if (isSession(date)) sessions.push(date);
  }
  return sessions;
}

function supportedParts(date: string, what = 'date'): [number, number, number] {
  assertIsoDate(date, what);
  // ISO dates compare as strings
  if (date < FIRST_DATE || date > LAST_DATE) {
    throw new InvalidInputError(
      `${what} must be between ${FIRST_DATE} and ${LAST_DATE} (the NYSE rules this calendar knows), got "${date}"`,
    );
  }
  return [+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10)];
}

function addDays(date: string, days: number): string {
  const [year, month, day] = [+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10)];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

function adjacentSession(date: string, direction: 1 | -1): string {
  supportedParts(date);
  let candidate = date;
  do {
    candidate = addDays(candidate, direction);
    if (candidate < FIRST_DATE || candidate > LAST_DATE) {
      const side = direction < 0 ? 'before' : 'after';
      throw new InvalidInputError(
        `no NYSE session ${side} "${date}" from ${FIRST_DATE} to ${LAST_DATE}`,
      );
    }
  } while (!isSession(candidate));
  return candidate;
}

// A weekday holiday's name; weekends are excluded before this is asked
function holidayName(
  year: number,
  month: number,
  day: number,
  weekday: number,
): string | undefined {
  const nth = Math.ceil(day / 7); // the 3rd Monday is the Monday falling on day 15 to 21
  switch (month) {
    case 1:
      // A Saturday New Year's Day is not moved to Friday: NYSE would lose its year-end session
      if (day === 1 || (day === 2 && weekday === MONDAY)) return "New Year's Day";
      return weekday === MONDAY && nth === 3 ? 'Martin Luther King Jr. Day' : undefined;
    case 2:
      return weekday === MONDAY && nth === 3 ? "Washington's Birthday" : undefined;
    case 3:
    case 4:
      return Date.UTC(year, month - 1, day + 2) === easterSunday(year) ? 'Good Friday' : undefined;
    case 5:
      return weekday === MONDAY && day > 31 - 7 ? 'Memorial Day' : undefined;
    case 6:
      // Made a federal holiday in June 2021, too late for the exchange to close that year
      return year >= 2022 && observes(19, day, weekday)
        ? 'Juneteenth National Independence Day'
        : undefined;
    case 7:
      return observes(4, day, weekday) ? 'Independence Day' : undefined;
    case 9:
      return weekday === MONDAY && nth === 1 ? 'Labor Day' : undefined;
    case 11:
      return weekday === THURSDAY && nth === 4 ? 'Thanksgiving Day' : undefined;
    case 12:
      return observes(25, day, weekday) ? 'Christmas Day' : undefined;
    default:
      return undefined;
  }
}

// A fixed-date holiday on a Saturday is observed on the Friday before, on a Sunday the Monday after
function observes(holiday: number, day: number, weekday: number): boolean {
  return (
    day === holiday ||
    (day === holiday - 1 && weekday === FRIDAY) ||
    (day === holiday + 1 && weekday === MONDAY)
  );
}

// Easter Sunday as Date.UTC milliseconds: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)
function easterSunday(year: number): number {
  const a = year % 19;
  const [b, c] = [Math.floor(year / 100), year % 100];
  const [d, e] = [Math.floor(b / 4), b % 4];
  const g = Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const l = (32 + 2 * e + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

// NYSE closes at 13:00 before Independence Day, after Thanksgiving and on Christmas Eve. Asked only
// of sessions, so a July 3 or December 24 that is itself the observed holiday never gets here
function isEarlyClose(year: number, month: number, day: number, weekday: number): boolean {
  switch (month) {
    case 7:
      // Until 2012, when July 4 was a Thursday the early close was Friday July 5 instead of July 3
      if (day === 3) return weekday !== WEDNESDAY || year >= 2013;
      return day === 5 && weekday === FRIDAY && year <= 2012;
    case 11:
      // The 4th Thursday falls on the 22nd to the 28th
      return weekday === FRIDAY && day >= 23 && day <= 29;
    case 12:
      return day === 24;
    default:
      return false;
  }
}
