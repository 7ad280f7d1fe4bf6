import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataValidationError } from '../domain/errors.js';
import { buildHistory, closeSeries } from '../domain/market/build-history.js';
import type { MarketHistory } from '../domain/market/history.js';
import {
  type DatedSeries,
  parseCloseCsv,
  parsePricesCsv,
  parseSymbolsCsv,
  parseVixCsv,
} from '../domain/market/parse-csv.js';

/** Which benchmark file of `benchmark/` to load, if it exists. */
export type BenchmarkChoice = 'spy' | 'sp500' | 'none';

/** Options of loadDataFolder. */
export interface LoadDataFolderOptions {
  /** Restricts the universe to these symbols; the order stays that of symbols.csv */
  readonly symbols?: readonly string[];
  /** Defaults to 'none' */
  readonly benchmark?: BenchmarkChoice;
}

/** A row of symbols.csv, for reports and sector limits. */
export interface SymbolMeta {
  readonly symbol: string;
  readonly name: string;
  readonly sector: string;
}

const BENCHMARKS = {
  spy: { name: 'SPY', file: 'benchmark/spy_daily.csv' },
  sp500: { name: 'S&P 500', file: 'benchmark/sp500_index_close.csv' },
} as const;

/**
 * The reads' results, read together; when several fail, the error is the first in list order
 * rather than the first to arrive, so a folder missing two files always names the same one.
 */
async function firstFailureInOrder<T extends readonly unknown[]>(
  reads: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/**
 * Loads a data folder (prices/daily.csv, vix/daily.csv, optional symbols.csv and benchmark/) into
 * a day-major MarketHistory; every row is validated and any broken rule throws DataValidationError.
 */
export async function loadDataFolder(
  dir: string,
  options: LoadDataFolderOptions = {},
): Promise<MarketHistory> {
  const choice = options.benchmark ?? 'none';
  const benchmark = choice === 'none' ? undefined : BENCHMARKS[choice];
  // Bytes, not strings: the parsers read UTF-8 in place, so the 6.5 MB price file is never decoded
  const [pricesBytes, vixBytes, symbolsBytes, benchmarkBytes] = await firstFailureInOrder([
    readRequired(dir, 'prices/daily.csv'),
    readRequired(dir, 'vix/daily.csv'),
    readOptional(dir, 'symbols.csv'),
    benchmark && readOptional(dir, benchmark.file),
  ] as const);

  const prices = parsePricesCsv(pricesBytes, join(dir, 'prices/daily.csv'));
  const vix = parseVixCsv(vixBytes, join(dir, 'vix/daily.csv'));
  const symbolList =
    symbolsBytes === undefined
      ? undefined
      : parseSymbolsCsv(symbolsBytes, join(dir, 'symbols.csv'));
  let series: DatedSeries | undefined;
  if (benchmark && benchmarkBytes !== undefined) {
    const file = join(dir, benchmark.file);
    // SPY's close, not adj_close: the benchmark is on a price return basis like the stock OHLC
    series =
      choice === 'spy'
        ? closeSeries(parsePricesCsv(benchmarkBytes, file))
        : parseCloseCsv(benchmarkBytes, file);
  }
  return buildHistory({
    prices,
    vix,
    ...(symbolList && { symbolList }),
    ...(options.symbols && { only: options.symbols }),
    ...(benchmark && series && { benchmark: { name: benchmark.name, series } }),
  });
}

/** Symbol, name and sector from the folder's symbols.csv, in file order; undefined without one. */
export async function loadSymbolsMeta(dir: string): Promise<SymbolMeta[] | undefined> {
  const bytes = await readOptional(dir, 'symbols.csv');
  if (bytes === undefined) return undefined;
  return parseSymbolsCsv(bytes, join(dir, 'symbols.csv')).rows.map(({ symbol, name, sector }) => ({
    symbol,
    name,
    sector,
  }));
}

async function readRequired(dir: string, file: string): Promise<Uint8Array> {
  const bytes = await readOptional(dir, file);
  if (bytes === undefined) {
    throw new DataValidationError(join(dir, file), 0, 'required file is missing');
  }
  return bytes;
}

async function readOptional(dir: string, file: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(join(dir, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
