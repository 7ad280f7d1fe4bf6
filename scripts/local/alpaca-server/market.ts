import type { MarketHistory } from '../../../shared/domain/market/history.js';
import { newYorkTime } from '../../../shared/domain/time.js';
import { sessionTimes } from './calendar.js';
import { newYorkDate } from './wire.js';

export interface DailyBar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** The shipped daily bars, looked up by symbol and date, and the price they imply at an instant. */
export class Market {
  readonly history: MarketHistory;
  readonly #symbols = new Map<string, number>();
  readonly #dates = new Map<string, number>();

  constructor(history: MarketHistory) {
    this.history = history;
    for (const [s, symbol] of history.symbols.entries()) this.#symbols.set(symbol, s);
    for (const [d, date] of history.dates.entries()) this.#dates.set(date, d);
  }

  get firstDate(): string {
    return this.history.dates[0]!;
  }

  get lastDate(): string {
    return this.history.dates.at(-1)!;
  }

  has(symbol: string): boolean {
    return this.#symbols.has(symbol);
  }

  /** The shipped bar; throws when the data has none, since a fill without a price is a bug. */
  bar(symbol: string, date: string): DailyBar {
    const s = this.#symbols.get(symbol);
    const d = this.#dates.get(date);
    if (s === undefined || d === undefined) {
      throw new Error(`the Alpaca test server has no shipped bar for ${symbol} on ${date}`);
    }
    return this.#barAt(d, s);
  }

  /** Day index of the last shipped date on or before `date`; -1 when the data starts later. */
  dayOnOrBefore(date: string): number {
    const dates = this.history.dates;
    let [low, high] = [0, dates.length - 1];
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (dates[mid]! <= date) low = mid + 1;
      else high = mid - 1;
    }
    return high;
  }

  /**
   * The last price at an instant: a session's open once it has opened, its close once it has
   * closed, the previous close before the open; undefined before the data starts.
   */
  priceAt(symbol: string, instant: Date): number | undefined {
    const s = this.#symbols.get(symbol);
    if (s === undefined) return undefined;
    const today = newYorkDate(instant);
    const d = this.dayOnOrBefore(today);
    if (d < 0) return undefined;
    const bar = this.#barAt(d, s);
    if (this.history.dates[d] !== today) return bar.close;
    const times = sessionTimes(today)!;
    if (instant >= times.close) return bar.close;
    if (instant >= times.open) return bar.open;
    return d > 0 ? this.#barAt(d - 1, s).close : bar.open;
  }

  /** The close of the last session before the New York date of an instant (Alpaca's `lastday_price`). */
  previousClose(symbol: string, instant: Date): number | undefined {
    const s = this.#symbols.get(symbol);
    const today = newYorkDate(instant);
    const d = this.dayOnOrBefore(today);
    const previous = this.history.dates[d] === today ? d - 1 : d;
    return s === undefined || previous < 0 ? undefined : this.#barAt(previous, s).close;
  }

  /** Day indexes of the sessions whose bars exist by `now` (their close has passed), from..to. */
  closedDays(from: Date, to: Date, now: Date): { first: number; last: number } {
    const end = to < now ? to : now;
    let last = this.dayOnOrBefore(newYorkDate(end));
    // A session's daily bar is served once it has closed, and only if it starts by `end`
    while (last >= 0 && sessionTimes(this.history.dates[last]!)!.close > now) last--;
    const first = this.dayOnOrBefore(newYorkDate(from));
    // A daily bar's timestamp is midnight in New York
    const firstIncluded =
      first >= 0 && newYorkTime(this.history.dates[first]!, '00:00') >= from ? first : first + 1;
    return { first: firstIncluded, last };
  }

  #barAt(d: number, s: number): DailyBar {
    const i = d * this.history.symbols.length + s;
    const h = this.history;
    return {
      open: h.open[i]!,
      high: h.high[i]!,
      low: h.low[i]!,
      close: h.close[i]!,
      volume: h.volume[i]!,
    };
  }
}
