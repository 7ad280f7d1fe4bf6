import { InvalidInputError } from './errors.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Throws unless `date` is a real calendar date written YYYY-MM-DD. */
export function assertIsoDate(date: string, what = 'date'): string {
  const m = ISO_DATE.exec(date);
  const valid =
    m !== null &&
    new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).toISOString().slice(0, 10) === date;
  if (!valid) throw new InvalidInputError(`${what} must be a date YYYY-MM-DD, got "${date}"`);
  return date;
}

// US daylight saving (since 2007): from 2:00 on the second Sunday of March to 2:00 on the first
// Sunday of November. Arithmetic rather than Intl: a backtest asks for thousands of dates
function nthSundayOfMonth(year: number, month: number, nth: number): number {
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((7 - firstWeekday) % 7) + (nth - 1) * 7;
}

function newYorkOffsetHours(year: number, month: number, day: number, hour: number): number {
  if (month < 3 || month > 11) return 5;
  if (month > 3 && month < 11) return 4;
  if (month === 3) {
    const start = nthSundayOfMonth(year, 3, 2);
    return day > start || (day === start && hour >= 2) ? 4 : 5;
  }
  const end = nthSundayOfMonth(year, 11, 1);
  return day < end || (day === end && hour < 2) ? 4 : 5;
}

/** The instant of a wall-clock time in New York on a date, daylight saving included (rules of 2007 on). */
export function newYorkTime(date: string, hhmm: string): Date {
  assertIsoDate(date);
  const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (time === null) throw new InvalidInputError(`time must be HH:MM (24-hour), got "${hhmm}"`);
  const h = Number(time[1]);
  const min = Number(time[2]);
  const year = +date.slice(0, 4);
  const month = +date.slice(5, 7);
  const day = +date.slice(8, 10);
  const offset = newYorkOffsetHours(year, month, day, h);
  return new Date(Date.UTC(year, month - 1, day, h + offset, min));
}

/** The calendar period a date falls in, for retraining schedules anchored to trading dates. */
export function periodKey(date: string, period: 'weekly' | 'monthly' | 'quarterly'): string {
  const year = +date.slice(0, 4);
  const month = +date.slice(5, 7);
  if (period === 'monthly') return date.slice(0, 7);
  if (period === 'quarterly') return `${year}-Q${Math.ceil(month / 3)}`;
  // ISO week: the Thursday of the date's week decides the year
  const day = new Date(Date.UTC(year, month - 1, +date.slice(8, 10)));
  const weekday = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - weekday + 3);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((day.getTime() - yearStart) / 86_400_000 / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
