import { type Alpaca, type marketData, TimeFrame } from '@alpacahq/alpaca-trade-api/rest';
import { InvalidInputError, MarketDataUnavailableError } from '../../domain/errors.js';
import type { DayBars } from '../../domain/market/history.js';
import { newYorkTime } from '../../domain/time.js';
import type { Calendar, MarketData } from '../../ports/index.js';
import { addDays } from './dates.js';
import { mapRead } from './errors.js';
import type { VixReading, VixSource } from './vix.js';

export interface AlpacaMarketDataOptions {
  /** The universe, in the order DayBars lists it */
  readonly symbols: readonly string[];
  readonly vix: VixSource;
  /** Finds the sessions a warm-up needs */
  readonly calendar: Calendar;
  /** `iex` (free) unless told; `sip` needs a market data subscription */
  readonly feed?: 'iex' | 'sip';
  /** Bars a page, over all symbols; Alpaca's largest (10,000) unless told */
  readonly pageSize?: number;
}

const CALL = 'GET /v2/stocks/bars';
const MAX_PAGE = 10_000;
// Trading sessions are ~69 % of calendar days, less a holiday or ten a year
const CALENDAR_DAYS_PER_SESSION = 1.5;

/**
 * Daily bars of the universe from Alpaca's market data API, split-adjusted (the indicators see
 * one continuous series across a split), all symbols in each request and every page followed.
 * A bar that breaks a rule fails the day with its name; a symbol without a bar is listed in the
 * day's `missing` (fetch-data quarantines it), and a session most symbols lack fails as not yet
 * available.
 */
export class AlpacaMarketData implements MarketData {
  readonly #client: Alpaca;
  readonly #options: AlpacaMarketDataOptions;

  constructor(client: Alpaca, options: AlpacaMarketDataOptions) {
    const { symbols } = options;
    if (symbols.length === 0 || new Set(symbols).size !== symbols.length) {
      throw new InvalidInputError(`the universe must list distinct symbols, got [${symbols}]`);
    }
    this.#client = client;
    this.#options = options;
  }

  async dayBars(date: string): Promise<DayBars> {
    const [day] = await this.#days([date]);
    return day!;
  }

  /** Exactly `minSessions` sessions before the date, oldest first. */
  async daysBefore(date: string, minSessions: number): Promise<readonly DayBars[]> {
    if (minSessions <= 0) return [];
    return this.#days(await this.#sessionsBefore(date, minSessions));
  }

  async #sessionsBefore(date: string, minSessions: number): Promise<string[]> {
    // One calendar request unless the guess falls short (a long closure), then a wider one
    for (let days = Math.ceil(minSessions * CALENDAR_DAYS_PER_SESSION) + 10; ; days *= 2) {
      const sessions = await this.#options.calendar.sessionsBetween(addDays(date, -days), date);
      if (sessions.length >= minSessions) return sessions.slice(-minSessions);
      if (days > 366 * 50) {
        throw new InvalidInputError(
          `the calendar has ${sessions.length} sessions before ${date}, fewer than ${minSessions}`,
        );
      }
    }
  }

  /** The universe's bars on consecutive sessions, with their VIX. */
  async #days(sessions: readonly string[]): Promise<DayBars[]> {
    const { symbols, vix } = this.#options;
    const [bars, readings] = await Promise.all([
      this.#fetchBars(sessions[0]!, sessions.at(-1)!),
      vix.closesOn(sessions),
    ]);
    const block = new Block(sessions, symbols);
    for (const [s, symbol] of symbols.entries()) {
      for (const bar of bars[symbol] ?? []) block.put(s, bar);
    }
    block.assertMostlyComplete(this.#feed);
    return sessions.map((_, d) => block.day(d, readings[d]!));
  }

  get #feed(): 'iex' | 'sip' {
    return this.#options.feed ?? 'iex';
  }

  // A daily bar's `t` is midnight in New York, and `end` is inclusive: midnight of both ends asks
  // for exactly these sessions (and never for the last 15 minutes, which SIP refuses without a plan)
  #fetchBars(first: string, last: string) {
    return mapRead(CALL, MarketDataUnavailableError, () =>
      this.#client.marketData.collectStockBarsBySymbol({
        symbols: [...this.#options.symbols],
        timeframe: TimeFrame.Day,
        start: newYorkTime(first, '00:00'),
        end: newYorkTime(last, '00:00'),
        adjustment: 'split',
        feed: this.#feed,
        limit: Math.min(this.#options.pageSize ?? MAX_PAGE, MAX_PAGE),
        sort: 'asc',
      }),
    );
  }
}

/** Bars of the symbols over the sessions, day-major as in MarketHistory, filled bar by bar. */
class Block {
  readonly #sessions: readonly string[];
  readonly #symbols: readonly string[];
  readonly #index: Map<string, number>;
  readonly #filled: Uint8Array;
  readonly #open: Float64Array;
  readonly #high: Float64Array;
  readonly #low: Float64Array;
  readonly #close: Float64Array;
  readonly #volume: Float64Array;

  constructor(sessions: readonly string[], symbols: readonly string[]) {
    this.#sessions = sessions;
    this.#symbols = symbols;
    this.#index = new Map(sessions.map((date, d) => [date, d]));
    const size = sessions.length * symbols.length;
    this.#filled = new Uint8Array(size);
    this.#open = new Float64Array(size);
    this.#high = new Float64Array(size);
    this.#low = new Float64Array(size);
    this.#close = new Float64Array(size);
    this.#volume = new Float64Array(size);
  }

  put(s: number, bar: marketData.StockBar): void {
    const symbol = this.#symbols[s]!;
    // Typed as a Date, but the SDK leaves the multi-symbol map as JSON: `t` arrives as text
    const stamp = new Date(bar.t);
    const date = Number.isNaN(stamp.getTime()) ? '' : stamp.toISOString().slice(0, 10);
    const d = this.#index.get(date);
    if (d === undefined || newYorkTime(date, '00:00').getTime() !== stamp.getTime()) {
      throw new InvalidInputError(
        `Alpaca ${CALL}: ${symbol} has a bar stamped ${String(bar.t)}, not midnight New York of a session asked for`,
      );
    }
    const problem = barProblem(bar);
    if (problem) throw new InvalidInputError(`Alpaca ${CALL}: ${symbol} on ${date}: ${problem}`);
    const i = d * this.#symbols.length + s;
    if (this.#filled[i])
      throw new InvalidInputError(`Alpaca ${CALL}: ${symbol} has two bars on ${date}`);
    this.#filled[i] = 1;
    this.#open[i] = bar.o;
    this.#high[i] = bar.h;
    this.#low[i] = bar.l;
    this.#close[i] = bar.c;
    this.#volume[i] = bar.v;
  }

  /** The symbols without a bar on session d. */
  missingOn(d: number): string[] {
    const n = this.#symbols.length;
    return this.#symbols.filter((_, s) => !this.#filled[d * n + s]);
  }

  /**
   * Throws for a session where most of the universe has no bar: the day's bars are not published
   * yet, or the date is no session. A few symbols without one (a halt, no trade on a thin feed)
   * are DayBars.missing, for fetch-data to quarantine.
   */
  assertMostlyComplete(feed: string): void {
    const thin = this.#sessions.flatMap((date, d) => {
      const missing = this.missingOn(d);
      return missing.length * 2 > this.#symbols.length ? [{ date, missing }] : [];
    });
    if (thin.length === 0) return;
    const list = thin.map(
      ({ date, missing }) =>
        `${date} (${missing.length} of ${this.#symbols.length}: ${missing.join(', ')})`,
    );
    throw new MarketDataUnavailableError(
      `Alpaca ${CALL}: no ${feed} bars yet for ${list.join('; ')}`,
    );
  }

  /** Session d as views; a symbol without a bar has NaN in its row and is listed as missing. */
  day(d: number, vix: VixReading): DayBars {
    const n = this.#symbols.length;
    const [from, to] = [d * n, (d + 1) * n];
    const missing = this.missingOn(d);
    for (const symbol of missing) {
      const i = from + this.#symbols.indexOf(symbol);
      for (const row of [this.#open, this.#high, this.#low, this.#close, this.#volume]) {
        row[i] = Number.NaN;
      }
    }
    return {
      ...(missing.length > 0 && { missing }),
      date: this.#sessions[d]!,
      symbols: this.#symbols,
      open: this.#open.subarray(from, to),
      high: this.#high.subarray(from, to),
      low: this.#low.subarray(from, to),
      close: this.#close.subarray(from, to),
      volume: this.#volume.subarray(from, to),
      vix: vix.close,
      ...(vix.stale && { vixAsOf: vix.asOf }),
    };
  }
}

/** What is wrong with a bar (the rules the CSV parser applies to the shipped data), if anything. */
function barProblem({ o, h, l, c, v }: marketData.StockBar): string | undefined {
  const prices = { open: o, high: h, low: l, close: c };
  for (const [name, value] of Object.entries(prices)) {
    if (!(Number.isFinite(value) && value > 0))
      return `${name} must be a positive number (${value})`;
  }
  if (!(Number.isFinite(v) && v >= 0)) return `volume must be a number not below zero (${v})`;
  if (h < l) return `high (${h}) is below low (${l})`;
  if (o < l || o > h || c < l || c > h)
    return `open (${o}) or close (${c}) is outside [${l}, ${h}]`;
  return undefined;
}
