import { assertIsoDate } from '../../domain/time.js';

/** A date as the UTC midnight instant the SDK's date parameters take and its answers parse to. */
export const utcDate = (date: string): Date => new Date(`${assertIsoDate(date)}T00:00:00Z`);

/** The date `days` calendar days after an ISO date. */
export const addDays = (date: string, days: number): string =>
  new Date(utcDate(date).getTime() + days * 86_400_000).toISOString().slice(0, 10);
