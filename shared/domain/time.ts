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

const nyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The instant of a wall-clock time in New York on a date, daylight saving included. */
export function newYorkTime(date: string, hhmm: string): Date {
  assertIsoDate(date);
  const [h, min] = hhmm.split(':').map(Number) as [number, number];
  const guess = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), h, min);
  // New York is 4 or 5 hours behind UTC: read the offset the guess lands on and correct by it
  const parts = Object.fromEntries(
    nyParts.formatToParts(new Date(guess)).map((p) => [p.type, p.value]),
  );
  const asIfUtc = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
  );
  return new Date(guess + (guess - asIfUtc));
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
