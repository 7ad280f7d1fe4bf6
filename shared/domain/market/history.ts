/**
 * Daily bars of a universe, laid out day-major: the bars of all symbols on one day are contiguous,
 * so a day is a zero-copy `subarray` and the pipeline works on all symbols of a day at once.
 * Element [d * symbols.length + s] is symbol s on day d.
 */
export interface MarketHistory {
  readonly dates: readonly string[]; // ISO YYYY-MM-DD trading dates, strictly ascending
  readonly symbols: readonly string[];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** VIX close per day (length dates.length) */
  readonly vix: Float64Array;
  /** Optional benchmark close per day (price return basis); NaN where the series has no value */
  readonly benchmark?: { readonly name: string; readonly close: Float64Array };
}

/** One trading day's bars for every symbol of the universe: views into a MarketHistory. */
export interface DayBars {
  readonly date: string;
  readonly symbols: readonly string[];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly vix: number;
  /**
   * Symbols the source has no bar for that day (a halt, or no trade on a thin feed): their rows
   * hold NaN. A local data folder never has any; fetch-data carries their close forward.
   */
  readonly missing?: readonly string[];
  /**
   * The session the VIX close is from when the day's own was unavailable (CBOE down or late) and
   * an earlier one stands in; absent when it is the day's. fetch-data reports it.
   */
  readonly vixAsOf?: string;
}

/** Returns day d of the history as views, without copying. */
export function dayBars(history: MarketHistory, d: number): DayBars {
  const n = history.symbols.length;
  const date = history.dates[d];
  if (date === undefined)
    throw new RangeError(`day ${d} is outside the history (0..${history.dates.length - 1})`);
  const from = d * n;
  const to = from + n;
  return {
    date,
    symbols: history.symbols,
    open: history.open.subarray(from, to),
    high: history.high.subarray(from, to),
    low: history.low.subarray(from, to),
    close: history.close.subarray(from, to),
    volume: history.volume.subarray(from, to),
    vix: history.vix[d]!,
  };
}

/** The history up to and including day d (views): what a decision at d's close may see. */
export function historyThrough(history: MarketHistory, d: number): MarketHistory {
  const end = (d + 1) * history.symbols.length;
  return {
    dates: history.dates.slice(0, d + 1),
    symbols: history.symbols,
    open: history.open.subarray(0, end),
    high: history.high.subarray(0, end),
    low: history.low.subarray(0, end),
    close: history.close.subarray(0, end),
    volume: history.volume.subarray(0, end),
    vix: history.vix.subarray(0, d + 1),
    ...(history.benchmark && {
      benchmark: {
        name: history.benchmark.name,
        close: history.benchmark.close.subarray(0, d + 1),
      },
    }),
  };
}

/** Copies one symbol's column out of the day-major layout (for batch indicators and tests). */
export function symbolSeries(
  history: MarketHistory,
  field: 'open' | 'high' | 'low' | 'close' | 'volume',
  s: number,
): Float64Array {
  const n = history.symbols.length;
  const days = history.dates.length;
  const source = history[field];
  const out = new Float64Array(days);
  for (let d = 0; d < days; d++) out[d] = source[d * n + s]!;
  return out;
}
