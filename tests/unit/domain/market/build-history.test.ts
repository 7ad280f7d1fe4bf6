import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidInputError } from '../../../../shared/domain/errors.js';
import { buildHistory, closeSeries } from '../../../../shared/domain/market/build-history.js';
import {
  parseCloseCsv,
  parsePricesCsv,
  parseSymbolsCsv,
  parseVixCsv,
} from '../../../../shared/domain/market/parse-csv.js';

const PRICES = 'data/prices/daily.csv';
const VIX = 'data/vix/daily.csv';
const DAYS = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];

/**
 * A price file, one block of rows per symbol in the given order. Prices encode where they came from:
 * close = 100 * (symbol number + 1) + day number, so a misplaced value is easy to spot.
 */
function aPriceFile(dates: Record<string, readonly string[]>): string {
  const lines = ['date,symbol,open,high,low,close,volume,adj_close'];
  for (const [n, [symbol, symbolDates]] of Object.entries(dates).entries()) {
    for (const date of symbolDates) {
      const close = 100 * (n + 1) + DAYS.indexOf(date);
      lines.push(
        `${date},${symbol},${close},${close + 1},${close - 1},${close},${1000 * (n + 1)},${close}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function aVixFile(dates: readonly string[]): string {
  return `date,open,high,low,close\n${dates.map((date, d) => `${date},15,16,14,${15 + d / 10}\n`).join('')}`;
}

const allDays = { MSFT: DAYS, AAPL: DAYS, XOM: DAYS };

function anInput(
  overrides: { prices?: Record<string, readonly string[]>; vix?: readonly string[] } = {},
) {
  return {
    prices: parsePricesCsv(aPriceFile(overrides.prices ?? allDays), PRICES),
    vix: parseVixCsv(aVixFile(overrides.vix ?? DAYS), VIX),
  };
}

function buildError(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}

describe('buildHistory', () => {
  it('lays bars out day-major with the symbols sorted when there is no symbol list', () => {
    // Act
    const history = buildHistory(anInput());
    // Assess
    expect(history.dates).toEqual(DAYS);
    expect(history.symbols).toEqual(['AAPL', 'MSFT', 'XOM']);
    // Day 2, AAPL (file block 2 of 3): element 2 * 3 + 0
    expect(history.close[2 * 3 + 0]).toBe(202);
    expect(history.high[2 * 3 + 1]).toBe(103);
    expect(history.low[3 * 3 + 2]).toBe(302);
    expect(history.volume[1 * 3 + 2]).toBe(3000);
    expect(history.open).toHaveLength(12);
    expect([...history.vix]).toEqual([15, 15.1, 15.2, 15.3]);
    expect(history.benchmark).toBeUndefined();
  });

  it('orders the universe as symbols.csv does', () => {
    // Prepare
    const symbolList = parseSymbolsCsv(
      'symbol,name,sector\nXOM,Exxon,Energy\nMSFT,Microsoft,IT\nAAPL,Apple,IT\n',
      's.csv',
    );
    // Act
    const history = buildHistory({ ...anInput(), symbolList });
    // Assess
    expect(history.symbols).toEqual(['XOM', 'MSFT', 'AAPL']);
    expect(history.close[1 * 3 + 0]).toBe(301);
  });

  it('restricts the universe to the wanted symbols, keeping the universe order', () => {
    // Act
    const history = buildHistory({ ...anInput(), only: ['XOM', 'AAPL'] });
    // Assess
    expect(history.symbols).toEqual(['AAPL', 'XOM']);
    expect([...history.close]).toEqual([200, 300, 201, 301, 202, 302, 203, 303]);
  });

  it('rejects a wanted symbol that is not in the data', () => {
    // Act
    const error = buildError(() => buildHistory({ ...anInput(), only: ['AAPL', 'TSLA'] }));
    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(`unknown symbol TSLA: ${PRICES} has no rows for it`);
  });

  it.each([
    {
      symbols:
        'symbol,name,sector\nMSFT,Microsoft,IT\nAAPL,Apple,IT\nTSLA,Tesla,Cars\nXOM,Exxon,Energy\n',
      message: `data/symbols.csv:4: TSLA is listed but ${PRICES} has no rows for it`,
    },
    {
      symbols: 'symbol,name,sector\nMSFT,Microsoft,IT\nXOM,Exxon,Energy\n',
      message: `${PRICES}:6: AAPL is not listed in data/symbols.csv`,
    },
  ])('rejects a symbol list that does not match the prices: $message', ({ symbols, message }) => {
    // Act
    const error = buildError(() =>
      buildHistory({ ...anInput(), symbolList: parseSymbolsCsv(symbols, 'data/symbols.csv') }),
    );
    // Assess
    expect(error).toBeInstanceOf(DataValidationError);
    expect(error.message).toBe(message);
  });

  it.each([
    {
      gap: 'inside the series',
      prices: { MSFT: DAYS, AAPL: ['2024-01-02', '2024-01-05'], XOM: DAYS },
      // AAPL rows are lines 6 and 7; the row after the gap is line 7
      message: `${PRICES}:7: AAPL has no row for 2024-01-03 (MSFT has one, line 3)`,
    },
    {
      gap: 'at the start',
      prices: { MSFT: DAYS, AAPL: DAYS.slice(1), XOM: DAYS },
      message: `${PRICES}:6: AAPL has no row for 2024-01-02 (MSFT has one, line 2)`,
    },
    {
      gap: 'at the end (reported on the last row)',
      prices: { MSFT: DAYS, AAPL: DAYS.slice(0, 3), XOM: DAYS },
      message: `${PRICES}:8: AAPL has no row for 2024-01-05 (MSFT has one, line 5)`,
    },
    {
      gap: 'in the first symbol, whose dates are tried as the calendar first',
      prices: { MSFT: [DAYS[0]!, DAYS[2]!, DAYS[3]!], AAPL: DAYS, XOM: DAYS },
      message: `${PRICES}:3: MSFT has no row for 2024-01-03 (AAPL has one, line 6)`,
    },
    {
      gap: 'of a date only one symbol has',
      prices: { MSFT: DAYS.slice(0, 2), AAPL: DAYS.slice(0, 3), XOM: DAYS.slice(0, 2) },
      message: `${PRICES}:3: MSFT has no row for 2024-01-04 (AAPL has one, line 6)`,
    },
  ])('rejects a symbol missing a date $gap', ({ prices, message }) => {
    // Act
    const error = buildError(() => buildHistory(anInput({ prices })));
    // Assess
    expect(error).toBeInstanceOf(DataValidationError);
    expect(error.message).toBe(message);
  });

  it('checks the dates of symbols left out of the universe too', () => {
    // Act
    const error = buildError(() =>
      buildHistory({ ...anInput({ prices: { MSFT: DAYS, AAPL: DAYS.slice(1) } }), only: ['MSFT'] }),
    );
    // Assess
    expect(error.message).toBe(
      `${PRICES}:6: AAPL has no row for 2024-01-02 (MSFT has one, line 2)`,
    );
  });

  it.each([
    {
      case: 'a missing VIX date',
      vix: [DAYS[0]!, DAYS[2]!, DAYS[3]!],
      message: `${VIX}:3: no VIX value for trading date 2024-01-03`,
    },
    {
      case: 'a missing last VIX date',
      vix: DAYS.slice(0, 3),
      message: `${VIX}:4: no VIX value for trading date 2024-01-05`,
    },
    {
      case: 'a VIX date on a holiday',
      vix: [DAYS[0]!, '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'],
      message: `${VIX}:6: 2024-01-08 is not a trading date of ${PRICES}`,
    },
    {
      case: 'a VIX date before the stock calendar',
      vix: ['2023-12-29', ...DAYS],
      message: `${VIX}:2: 2023-12-29 is not a trading date of ${PRICES}`,
    },
    {
      case: 'an empty VIX file',
      vix: [],
      message: `${VIX}:0: no VIX value for trading date 2024-01-02`,
    },
  ])('rejects $case', ({ vix, message }) => {
    // Act
    const error = buildError(() => buildHistory(anInput({ vix })));
    // Assess
    expect(error).toBeInstanceOf(DataValidationError);
    expect(error.message).toBe(message);
  });

  it('rejects a price file without rows', () => {
    // Act
    const error = buildError(() => buildHistory(anInput({ prices: {} })));
    // Assess
    expect(error.message).toBe(`${PRICES}:0: the file has no rows`);
  });
});

describe('buildHistory with a benchmark', () => {
  const BENCHMARK = 'data/benchmark/sp500_index_close.csv';
  const withBenchmark = (rows: readonly string[]) =>
    buildHistory({
      ...anInput(),
      benchmark: {
        name: 'S&P 500',
        series: parseCloseCsv(`date,close\n${rows.join('\n')}\n`, BENCHMARK),
      },
    });

  it('fills NaN before a late start and after an early end', () => {
    // Act
    const history = withBenchmark(['2024-01-03,4700.5', '2024-01-04,4690']);
    // Assess
    expect(history.benchmark?.name).toBe('S&P 500');
    expect([...(history.benchmark?.close ?? [])]).toEqual([Number.NaN, 4700.5, 4690, Number.NaN]);
  });

  it.each([
    {
      rows: ['2024-01-03,4700', '2024-01-06,4690'],
      message: `${BENCHMARK}:3: 2024-01-06 is not a trading date of ${PRICES}`,
    },
    {
      rows: ['2024-01-02,4700', '2024-01-04,4690'],
      message: `${BENCHMARK}:3: no S&P 500 value for trading date 2024-01-03`,
    },
  ])('rejects $message', ({ rows, message }) => {
    // Act
    const error = buildError(() => withBenchmark(rows));
    // Assess
    expect(error.message).toBe(message);
  });
});

describe('closeSeries', () => {
  const SPY = 'data/benchmark/spy_daily.csv';

  it('reduces a one-symbol price file to its close', () => {
    // Act
    const series = closeSeries(parsePricesCsv(aPriceFile({ SPY: DAYS }), SPY));
    // Assess
    expect([...series.close]).toEqual([100, 101, 102, 103]);
    expect([...series.dates]).toEqual([20240102, 20240103, 20240104, 20240105]);
  });

  it('rejects a file with two symbols', () => {
    // Act
    const error = buildError(() =>
      closeSeries(parsePricesCsv(aPriceFile({ SPY: DAYS, QQQ: DAYS }), SPY)),
    );
    // Assess
    expect(error.message).toBe(`${SPY}:6: expected one symbol, found SPY and QQQ`);
  });
});
