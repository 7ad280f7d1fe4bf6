import { InvalidInputError } from '../domain/errors.js';
import { type DayBars, dayBars, type MarketHistory } from '../domain/market/history.js';
import type { MarketData } from '../ports/index.js';

/** Market data served from an in-memory history: the day asked for, never a later one. */
export class HistoryMarketData implements MarketData {
  readonly #history: MarketHistory;
  readonly #index: Map<string, number>;
  // The day last served: the backtest and its fetch-data step both ask for it, and each DayBars
  // is five new array views
  #lastDay = -1;
  #lastBars: DayBars | null = null;

  constructor(history: MarketHistory) {
    this.#history = history;
    this.#index = new Map(history.dates.map((date, d) => [date, d]));
  }

  async dayBars(date: string): Promise<DayBars> {
    const d = this.#index.get(date);
    if (d === undefined)
      throw new InvalidInputError(`no bars for ${date}: not a trading date of the data`);
    return this.dayAt(d);
  }

  /** Day d of the history (views, so they can be shared by all who read that day). */
  dayAt(d: number): DayBars {
    if (d !== this.#lastDay || this.#lastBars === null) {
      this.#lastBars = dayBars(this.#history, d);
      this.#lastDay = d;
    }
    return this.#lastBars;
  }
}
