import { DataValidationError, InvalidInputError } from '../errors.js';
import type { MarketHistory } from './history.js';
import { type DatedSeries, formatDateKey, type PriceRows, type SymbolRows } from './parse-csv.js';

/** Parsed files and universe choices that buildHistory lays out. */
export interface HistoryInput {
  readonly prices: PriceRows;
  readonly vix: DatedSeries;
  /** From symbols.csv: must name exactly the symbols of the prices, and gives their order */
  readonly symbolList?: SymbolRows;
  /** Restricts the universe to these symbols; the order stays that of the universe */
  readonly only?: readonly string[];
  /** NaN before its first and after its last date; it must have every trading date in between */
  readonly benchmark?: { readonly name: string; readonly series: DatedSeries };
}

// Day slots of a yyyymmdd key: 31 per month, 12 months per year; a direct index replaces a Map
const SLOTS_PER_YEAR = 372;

/** The trading dates, and the day index of any yyyymmdd key (-1 when it is not a trading date). */
class Calendar {
  readonly #dayOfSlot: Int32Array;
  readonly #firstYear: number;

  /** `keys` are the trading dates as yyyymmdd, strictly ascending and not empty. */
  constructor(readonly keys: Int32Array) {
    this.#firstYear = Math.floor(keys[0]! / 10000);
    const lastYear = Math.floor(keys[keys.length - 1]! / 10000);
    this.#dayOfSlot = new Int32Array((lastYear - this.#firstYear + 1) * SLOTS_PER_YEAR).fill(-1);
    for (let day = 0; day < keys.length; day++) this.#dayOfSlot[this.#slot(keys[day]!)] = day;
  }

  get length(): number {
    return this.keys.length;
  }

  dayOf(date: number): number {
    const slot = this.#slot(date);
    return slot >= 0 && slot < this.#dayOfSlot.length ? this.#dayOfSlot[slot]! : -1;
  }

  #slot(date: number): number {
    const year = Math.floor(date / 10000);
    const month = Math.floor(date / 100) % 100;
    return (year - this.#firstYear) * SLOTS_PER_YEAR + (month - 1) * 31 + (date % 100) - 1;
  }
}

/** A symbol without a row on a trading date, and the line to report it on. */
interface Gap {
  readonly symbol: number;
  readonly date: number;
  readonly line: number;
}

/**
 * Lays bars out day-major and returns the first gap, if any. The calendar must contain every date
 * of the prices; a symbol whose column is -1 is checked but not written.
 */
function layOut(
  prices: PriceRows,
  keys: Int32Array,
  column: Int32Array,
  width: number,
  out: Pick<MarketHistory, 'open' | 'high' | 'low' | 'close' | 'volume'>,
): Gap | undefined {
  // Each symbol's dates ascend (the parser checks it), so a row falls on the day after its
  // symbol's previous row unless the symbol skipped a date
  const { symbolIndex, dates, lines } = prices;
  const nextDay = new Int32Array(prices.symbols.length);
  const lastRow = new Int32Array(prices.symbols.length);
  for (let r = 0; r < prices.length; r++) {
    const symbol = symbolIndex[r]!;
    const day = nextDay[symbol]!;
    // Past the last key only when `keys` is not the union: any date will do then
    if (keys[day] !== dates[r]) return { symbol, date: keys[day] ?? dates[r]!, line: lines[r]! };
    nextDay[symbol] = day + 1;
    lastRow[symbol] = r;
    const s = column[symbol]!;
    if (s < 0) continue;
    const at = day * width + s;
    out.open[at] = prices.open[r]!;
    out.high[at] = prices.high[r]!;
    out.low[at] = prices.low[r]!;
    out.close[at] = prices.close[r]!;
    out.volume[at] = prices.volume[r]!;
  }
  for (let symbol = 0; symbol < prices.symbols.length; symbol++) {
    const day = nextDay[symbol]!;
    if (day < keys.length) return { symbol, date: keys[day]!, line: lines[lastRow[symbol]!]! };
  }
  return undefined;
}

/**
 * The dates of the symbol seen first, if every symbol can have as many rows as it; in valid data
 * its rows are usually the first ones, so the scan stops early.
 */
function firstSymbolDates({
  dates,
  symbolIndex,
  symbols,
  length,
}: PriceRows): Int32Array | undefined {
  if (length % symbols.length !== 0) return undefined;
  const keys = new Int32Array(length / symbols.length);
  let day = 0;
  for (let r = 0; r < length && day < keys.length; r++) {
    if (symbolIndex[r] === 0) keys[day++] = dates[r]!;
  }
  return day === keys.length ? keys : undefined;
}

/** The sorted union of the dates, via one flag per day slot. */
function unionOfDates(dates: Int32Array): Int32Array {
  let min = dates[0]!;
  let max = dates[0]!;
  for (const date of dates) {
    if (date < min) min = date;
    if (date > max) max = date;
  }
  const firstYear = Math.floor(min / 10000);
  const seen = new Uint8Array((Math.floor(max / 10000) - firstYear + 1) * SLOTS_PER_YEAR);
  for (const date of dates) {
    const year = Math.floor(date / 10000);
    const month = Math.floor(date / 100) % 100;
    seen[(year - firstYear) * SLOTS_PER_YEAR + (month - 1) * 31 + (date % 100) - 1] = 1;
  }
  const keys: number[] = [];
  seen.forEach((flag, slot) => {
    if (flag === 0) return;
    const year = firstYear + Math.floor(slot / SLOTS_PER_YEAR);
    const month = Math.floor((slot % SLOTS_PER_YEAR) / 31) + 1;
    keys.push(year * 10000 + month * 100 + (slot % 31) + 1);
  });
  return Int32Array.from(keys);
}

/**
 * Lays the parsed files out day-major (element [d * symbols.length + s]), after checking that every
 * symbol, and the VIX, has exactly the trading dates of the union of the price dates.
 *
 * A missing date is reported on the line of the first row after the gap, or on the last row of the
 * series when the gap runs to its end (line 0 for a series without rows).
 */
export function buildHistory(input: HistoryInput): MarketHistory {
  const { prices } = input;
  if (prices.length === 0) throw new DataValidationError(prices.file, 0, 'the file has no rows');

  const universe = universeOf(input);
  const column = new Int32Array(prices.symbols.length).fill(-1);
  for (const [s, symbol] of universe.entries()) column[prices.symbols.indexOf(symbol)] = s;

  // Valid data gives every symbol the dates of the first one: try those, and only when a symbol
  // disagrees compute the union of all dates, against which some symbol then misses one
  const keys = firstSymbolDates(prices) ?? new Int32Array();
  const size = keys.length * universe.length;
  const out = {
    open: new Float64Array(size),
    high: new Float64Array(size),
    low: new Float64Array(size),
    close: new Float64Array(size),
    volume: new Float64Array(size),
  };
  if (keys.length === 0 || layOut(prices, keys, column, universe.length, out) !== undefined) {
    const checkOnly = new Int32Array(prices.symbols.length).fill(-1);
    // The symbols disagree on their dates, so against the union some symbol misses one
    const gap = layOut(prices, unionOfDates(prices.dates), checkOnly, 0, out);
    throw missingDateError(prices, gap!);
  }

  const calendar = new Calendar(keys);
  const vix = alignSeries(input.vix, calendar, prices.file, 'VIX', true);
  const benchmark = input.benchmark && {
    name: input.benchmark.name,
    close: alignSeries(input.benchmark.series, calendar, prices.file, input.benchmark.name, false),
  };

  return {
    dates: Array.from(keys, formatDateKey),
    symbols: universe,
    ...out,
    vix,
    ...(benchmark && { benchmark }),
  };
}

/** Reduces a single-symbol price file (the SPY benchmark) to its close series (price return basis). */
export function closeSeries(rows: PriceRows): DatedSeries {
  const [first, second] = rows.symbols;
  if (second !== undefined) {
    const line = rows.lines[rows.symbolIndex.indexOf(1)]!;
    throw new DataValidationError(
      rows.file,
      line,
      `expected one symbol, found ${first} and ${second}`,
    );
  }
  return {
    file: rows.file,
    length: rows.length,
    lines: rows.lines,
    dates: rows.dates,
    close: rows.close,
  };
}

/** The universe in order: symbols.csv order (or sorted), restricted to `only`. */
function universeOf({ prices, symbolList, only }: HistoryInput): string[] {
  let universe: string[];
  if (symbolList) {
    const known = new Set(prices.symbols);
    for (const row of symbolList.rows) {
      if (!known.has(row.symbol)) {
        throw new DataValidationError(
          symbolList.file,
          row.line,
          `${row.symbol} is listed but ${prices.file} has no rows for it`,
        );
      }
    }
    const listed = new Set(symbolList.rows.map((row) => row.symbol));
    for (const [s, symbol] of prices.symbols.entries()) {
      if (!listed.has(symbol)) {
        const line = prices.lines[prices.symbolIndex.indexOf(s)]!;
        throw new DataValidationError(
          prices.file,
          line,
          `${symbol} is not listed in ${symbolList.file}`,
        );
      }
    }
    universe = symbolList.rows.map((row) => row.symbol);
  } else {
    universe = [...prices.symbols].sort();
  }
  if (only === undefined) return universe;

  if (only.length === 0) throw new InvalidInputError('the symbol list to load is empty');
  const wanted = new Set(only);
  const unknown = [...wanted].filter((symbol) => !universe.includes(symbol));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `unknown symbol${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: ${prices.file} has no rows for ${unknown.length > 1 ? 'them' : 'it'}`,
    );
  }
  return universe.filter((symbol) => wanted.has(symbol));
}

function missingDateError(prices: PriceRows, { symbol, date, line }: Gap): DataValidationError {
  // Name a symbol that has the date, so the reader sees where the calendar comes from
  const other = prices.dates.indexOf(date);
  const owner = prices.symbols[prices.symbolIndex[other]!];
  return new DataValidationError(
    prices.file,
    line,
    `${prices.symbols[symbol]} has no row for ${formatDateKey(date)} (${owner} has one, line ${prices.lines[other]})`,
  );
}

/**
 * One value per trading day. Every date of the series must be a trading date; `complete` series
 * need every trading date, the others only those between their first and last date (NaN outside).
 */
function alignSeries(
  series: DatedSeries,
  calendar: Calendar,
  pricesFile: string,
  name: string,
  complete: boolean,
): Float64Array {
  const out = new Float64Array(calendar.length).fill(Number.NaN);
  let nextDay = complete || series.length === 0 ? 0 : calendar.dayOf(series.dates[0]!);
  for (let i = 0; i < series.length; i++) {
    const date = series.dates[i]!;
    const day = calendar.dayOf(date);
    if (day < 0) {
      throw new DataValidationError(
        series.file,
        series.lines[i]!,
        `${formatDateKey(date)} is not a trading date of ${pricesFile}`,
      );
    }
    if (day !== nextDay) {
      const missing = formatDateKey(calendar.keys[nextDay]!);
      throw new DataValidationError(
        series.file,
        series.lines[i]!,
        `no ${name} value for trading date ${missing}`,
      );
    }
    out[day] = series.close[i]!;
    nextDay = day + 1;
  }
  if (complete && nextDay < calendar.length) {
    const line = series.length > 0 ? series.lines[series.length - 1]! : 0;
    const missing = formatDateKey(calendar.keys[nextDay]!);
    throw new DataValidationError(
      series.file,
      line,
      `no ${name} value for trading date ${missing}`,
    );
  }
  return out;
}
