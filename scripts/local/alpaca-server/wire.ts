import { createHash } from 'node:crypto';
import { newYorkTime } from '../../../shared/domain/time.js';

/** A number as Alpaca writes money, prices and quantities: a decimal string without float noise. */
export function decimal(value: number): string {
  // Six places keep the shipped prices (yfinance writes six) exact and drop sums like 0.1 + 0.2
  const rounded = Math.round(value * 1e6) / 1e6;
  return String(rounded === 0 ? 0 : rounded);
}

/** An optional instant as Alpaca writes it: RFC 3339 in UTC, or null. */
export const iso = (instant: Date | null): string | null => instant?.toISOString() ?? null;

/** A UUID-shaped id derived from a seed, so every run of a test sees the same ids. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `8${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** What Alpaca's ids look like. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The date `days` calendar days after an ISO date. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = [+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10)];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The New York calendar date of an instant. */
export function newYorkDate(instant: Date): string {
  // New York is 4 or 5 hours behind UTC: 4 hours back lands on its date or the day after it
  const candidate = new Date(instant.getTime() - 4 * 3_600_000).toISOString().slice(0, 10);
  return newYorkTime(candidate, '00:00') > instant ? addDays(candidate, -1) : candidate;
}

/** A daily bar's `t`: midnight in New York written in UTC, without milliseconds, as Alpaca does. */
export const barTimestamp = (date: string): string =>
  newYorkTime(date, '00:00').toISOString().replace('.000Z', 'Z');

/** An opaque page token, as Alpaca's are (base64url of the position to resume from). */
export const encodeToken = (position: string): string =>
  Buffer.from(position, 'utf8').toString('base64url');

/** The position a page token was made from. */
export const decodeToken = (token: string): string =>
  Buffer.from(token, 'base64url').toString('utf8');
