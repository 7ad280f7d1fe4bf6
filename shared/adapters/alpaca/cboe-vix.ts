import * as z from 'zod';
import { DataValidationError, MarketDataUnavailableError } from '../../domain/errors.js';
import { type DatedSeries, formatDateKey, parseCloseCsv } from '../../domain/market/parse-csv.js';
import { type Calendar, type StateStore, VIX_MEMORY_KEY } from '../../ports/index.js';
import {
  MAX_STALE_SESSIONS,
  readingFor,
  type VixClose,
  type VixReading,
  type VixSource,
} from './vix.js';

/** CBOE's public VIX daily history: DATE,OPEN,HIGH,LOW,CLOSE with dates MM/DD/YYYY, oldest first. */
export const CBOE_VIX_URL =
  'https://cdn.cboe.com/api/global/us_indices/daily_prices/VIX_History.csv';

export interface CboeVixOptions {
  /** Counts how many sessions old a stand-in close is */
  readonly calendar: Calendar;
  readonly url?: string;
  /** The fetch to download with; tests serve the file from 127.0.0.1 */
  readonly fetch?: typeof fetch;
  /** 10 s unless told */
  readonly timeoutMs?: number;
  readonly maxStaleSessions?: number;
  /** Keeps the newest close downloaded (one small document), so a CBOE outage falls back to it */
  readonly memory?: StateStore;
}

const VixCloseSchema = z.object({ date: z.iso.date(), close: z.number().positive() });

/** The VIX from CBOE's daily history file, one download a call (the file is ~300 KB). */
export class CboeVixSource implements VixSource {
  readonly #options: CboeVixOptions;
  readonly #url: string;

  constructor(options: CboeVixOptions) {
    this.#options = options;
    this.#url = options.url ?? CBOE_VIX_URL;
  }

  async closesOn(dates: readonly string[]): Promise<readonly VixReading[]> {
    let series: DatedSeries;
    try {
      series = await this.#download();
    } catch (error) {
      return this.#fromMemory(dates, error);
    }
    const rule = this.#rule(this.#url);
    const readings: VixReading[] = [];
    for (const date of dates) readings.push(await readingFor(date, onOrBefore(series, date), rule));
    await this.#remember(series);
    return readings;
  }

  async #download(): Promise<DatedSeries> {
    const download = this.#options.fetch ?? fetch;
    const response = await download(this.#url, {
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return parseCloseCsv(cboeToCloseCsv(await response.text(), this.#url), this.#url);
  }

  // CBOE down, or its file unreadable: the remembered close may stand in within the stale limit
  async #fromMemory(dates: readonly string[], cause: unknown): Promise<readonly VixReading[]> {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const known = (await this.#options.memory?.get(VIX_MEMORY_KEY, VixCloseSchema))?.value;
    if (known === undefined || dates.some((date) => date < known.date)) {
      throw new MarketDataUnavailableError(
        `VIX: ${this.#url} failed (${reason}) and no remembered close stands in for ${dates.join(', ')}`,
        { cause },
      );
    }
    const rule = this.#rule(`the close remembered after ${this.#url} failed (${reason})`);
    return Promise.all(dates.map((date) => readingFor(date, known, rule)));
  }

  async #remember(series: DatedSeries): Promise<void> {
    const memory = this.#options.memory;
    const last = series.length - 1;
    if (!memory || last < 0) return;
    const newest: VixClose = {
      date: formatDateKey(series.dates[last]!),
      close: series.close[last]!,
    };
    await memory.replace(VIX_MEMORY_KEY, newest);
  }

  #rule(source: string) {
    const maxStale = this.#options.maxStaleSessions ?? MAX_STALE_SESSIONS;
    return { calendar: this.#options.calendar, maxStale, source };
  }
}

/** The newest close on or before a date; undefined when the series starts later. */
function onOrBefore(series: DatedSeries, date: string): VixClose | undefined {
  const key = Number(date.replaceAll('-', ''));
  let [low, high] = [0, series.length - 1];
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (series.dates[mid]! <= key) low = mid + 1;
    else high = mid - 1;
  }
  return high < 0
    ? undefined
    : { date: formatDateKey(series.dates[high]!), close: series.close[high]! };
}

/**
 * CBOE's file as the core's `date,close` CSV, line for line, so the core's parser validates it
 * (positive closes, ascending dates) and its errors name CBOE's own line numbers.
 */
export function cboeToCloseCsv(text: string, file: string): string {
  const [header = '', ...rows] = text.split(/\r?\n/);
  const columns = header.split(',').map((name) => name.trim().toUpperCase());
  const [dateAt, closeAt] = [columns.indexOf('DATE'), columns.indexOf('CLOSE')];
  if (dateAt < 0 || closeAt < 0) {
    throw new DataValidationError(file, 1, `expected DATE and CLOSE columns, found "${header}"`);
  }
  const lines = rows.map((row) => {
    if (row === '') return row;
    const fields = row.split(',');
    // MM/DD/YYYY; anything else is left as written for the parser to report
    const date = (fields[dateAt] ?? '').trim().replace(/^(\d{2})\/(\d{2})\/(\d{4})$/, '$3-$1-$2');
    return `${date},${(fields[closeAt] ?? '').trim()}`;
  });
  return ['date,close', ...lines].join('\n');
}
