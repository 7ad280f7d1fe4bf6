import { InvalidInputError } from '../domain/errors.js';
import { type DayBars, dayBars, type MarketHistory } from '../domain/market/history.js';
import type { MarketData } from '../ports/index.js';

/** Market data served from an in-memory history: the day asked for, never a later one. */
export class HistoryMarketData implements MarketData {
  readonly #history: MarketHistory;
  readonly #index: Map<string, number>;

  constructor(history: MarketHistory) {
    this.#history = history;
    this.#index = new Map(history.dates.map((date, d) => [date, d]));
  }

  get symbols(): readonly string[] {
    return this.#history.symbols;
  }

  async dayBars(date: string): Promise<DayBars> {
    return dayBars(this.#history, this.#dayIndex(date));
  }

  /** The whole history before the date: a first run warms up exactly as the backtest does. */
  async daysBefore(date: string, _minSessions: number): Promise<readonly DayBars[]> {
    const end = this.#dayIndex(date);
    return Array.from({ length: end }, (_, d) => dayBars(this.#history, d));
  }

  /**
   * The sessions after `after` (exclusive; null: none before) through `through` (inclusive), oldest
   * first: what a simulated venue opens between two runs.
   */
  sessionsThrough(after: string | null, through: string): readonly DayBars[] {
    const last = this.#dayIndex(through);
    let first = last;
    if (after !== null) {
      // Usually the session before, found by its index rather than a search of the history
      const known = this.#index.get(after);
      if (known !== undefined) first = known + 1;
      else {
        const dates = this.#history.dates;
        const firstAfter = dates.findIndex((date) => date > after);
        first = firstAfter === -1 ? dates.length : firstAfter;
      }
    }
    const days: DayBars[] = [];
    for (let d = first; d <= last; d++) days.push(dayBars(this.#history, d));
    return days;
  }

  #dayIndex(date: string): number {
    const d = this.#index.get(date);
    if (d === undefined) {
      const dates = this.#history.dates;
      throw new InvalidInputError(
        `no bars for ${date}: not a trading date of the data (${dates[0]} .. ${dates[dates.length - 1]})`,
      );
    }
    return d;
  }
}
