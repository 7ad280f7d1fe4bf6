import { assertIsoDate } from '../domain/time.js';
import type { Calendar, MarketDay } from '../ports/index.js';

/** A calendar whose sessions are the dates of a data set: what a backtest of that data trades on. */
export class HistoryCalendar implements Calendar {
  readonly #dates: readonly string[];
  readonly #index: ReadonlyMap<string, number>;

  constructor(dates: readonly string[]) {
    this.#dates = dates;
    this.#index = new Map(dates.map((date, d) => [date, d]));
  }

  async day(date: string): Promise<MarketDay> {
    assertIsoDate(date);
    return this.#index.has(date)
      ? { date, open: true, closeTime: '16:00', earlyClose: false }
      : { date, open: false, reason: 'not a session of the data' };
  }

  async previousSession(date: string): Promise<string> {
    const previous = this.#dates.findLast((d) => d < date);
    if (previous === undefined) throw new RangeError(`no session of the data before ${date}`);
    return previous;
  }

  async sessionsBetween(after: string, before: string): Promise<readonly string[]> {
    // Sessions of the data, found by index: the backtest asks every day
    const first = this.#index.get(after);
    const last = this.#index.get(before);
    if (first !== undefined && last !== undefined) return this.#dates.slice(first + 1, last);
    return this.#dates.filter((d) => d > after && d < before);
  }
}
