import { readFile } from 'node:fs/promises';
import { TimeFrame } from '@alpacahq/alpaca-trade-api/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlpacaTestServer,
  alpacaClientFor,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';

interface CsvBar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

// The shipped file read on its own, so the server's loading is checked rather than trusted
let rows: string[][] | undefined;
async function shippedBars(symbol: string, from: string, to: string): Promise<CsvBar[]> {
  rows ??= (await readFile('data/prices/daily.csv', 'utf8'))
    .split('\n')
    .map((line) => line.split(','));
  return rows
    .filter(([date, s]) => s === symbol && date! >= from && date! <= to)
    .map(([date, , open, high, low, close, volume]) => ({
      date: date!,
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    }));
}

let server: AlpacaTestServer;
let alpaca: ReturnType<typeof alpacaClientFor>;
beforeAll(async () => {
  server = await startAlpacaServer({ date: '2023-06-30', at: '17:00' });
  alpaca = alpacaClientFor(server);
});
afterAll(() => server.close());

describe('daily bars', () => {
  it('pages multi-symbol bars by page_token and serves the shipped values', async () => {
    // Prepare
    const request = {
      symbols: ['MSFT', 'AAPL'],
      timeframe: TimeFrame.Day,
      start: new Date('2023-06-01T04:00:00Z'),
      end: new Date('2023-06-30T04:00:00Z'),
      feed: 'iex' as const,
      adjustment: 'split',
      limit: 7,
    };
    // Act
    const first = await alpaca.marketData.stocks.stockBars({ ...request, symbols: 'AAPL,MSFT' });
    const all = await alpaca.marketData.getStockBars(request);
    // Assess
    const expected = {
      AAPL: await shippedBars('AAPL', '2023-06-01', '2023-06-30'),
      MSFT: await shippedBars('MSFT', '2023-06-01', '2023-06-30'),
    };
    expect(Object.keys(first.bars)).toEqual(['AAPL']); // sorted by symbol, 7 bars a page
    expect(first.bars.AAPL).toHaveLength(7);
    expect(first.nextPageToken).toEqual(expect.any(String));
    for (const symbol of ['AAPL', 'MSFT'] as const) {
      expect(
        all[symbol]?.map((bar) => ({
          date: bar.timestamp.toISOString().slice(0, 10),
          open: bar.open,
          high: bar.high,
          low: bar.low,
          close: bar.close,
          volume: bar.volume,
        })),
      ).toEqual(expected[symbol]);
    }
    expect(expected.AAPL).toHaveLength(21);
    const pages = server.requests({ method: 'GET', path: '/v2/stocks/bars' }).length - 1;
    expect(pages).toBe(Math.ceil(42 / 7));
  });

  it('stamps a daily bar at midnight New York in UTC: 04:00Z in summer, 05:00Z in winter', async () => {
    // Act
    const page = await alpaca.marketData.stocks.stockBars({
      symbols: 'AAPL',
      timeframe: '1Day',
      start: new Date('2023-01-03T00:00:00Z'),
      end: new Date('2023-06-02T23:59:00Z'),
      limit: 10_000,
    });
    // Assess: the raw map keeps the wire strings
    const stamps = (page.bars.AAPL ?? []).map((bar) => String(bar.t));
    expect(stamps[0]).toBe('2023-01-03T05:00:00Z');
    expect(stamps.at(-1)).toBe('2023-06-02T04:00:00Z');
  });

  it('compares start and end with the bar stamps: end 2023-06-15T00:00Z misses the 15th', async () => {
    // Act
    const bars = await alpaca.marketData.getStockBarsFor('AAPL', {
      timeframe: TimeFrame.Day,
      start: new Date('2023-06-14T12:00:00Z'), // after the 14th's stamp, 04:00Z
      end: new Date('2023-06-15T00:00:00Z'), // before the 15th's stamp, 04:00Z
    });
    // Assess
    expect(bars).toEqual([]);
  });

  it('serves nothing after the server clock: no bar for a session not closed yet', async () => {
    // Prepare
    const early = await startAlpacaServer({ date: '2023-06-15', at: '12:00' });
    const client = alpacaClientFor(early);
    // Act
    const bars = await client.marketData.getStockBarsFor('AAPL', {
      timeframe: TimeFrame.Day,
      start: new Date('2023-06-12T00:00:00Z'),
      end: new Date('2023-06-30T00:00:00Z'),
    });
    // Assess
    expect(bars.map((bar) => bar.timestamp.toISOString().slice(0, 10))).toEqual([
      '2023-06-12',
      '2023-06-13',
      '2023-06-14',
    ]);
    await early.close();
  });

  it('answers a timeframe it does not serve with a 400', async () => {
    // Act
    const minute = alpaca.marketData.stocks.stockBars({ symbols: 'AAPL', timeframe: '1Min' });
    // Assess
    await expect(minute).rejects.toMatchObject({ status: 400, name: 'ValidationError' });
  });
});

describe('news', () => {
  it('answers articles for the symbols, newest first, published by the server clock', async () => {
    // Prepare
    const before = await startAlpacaServer({ date: '2023-06-14', at: '17:00' });
    const client = alpacaClientFor(before);
    // Act
    const articles = await client.marketData.collectNews({ symbols: ['AAPL', 'MSFT'], limit: 1 });
    // Assess
    expect(articles.map((a) => [a.id, a.symbols])).toEqual([
      [31_000_005, ['AAPL', 'MSFT']],
      [31_000_001, ['AAPL']],
    ]);
    expect(articles[0]?.headline).toBe('Apple and Microsoft hit record highs');
    expect(articles[0]?.createdAt).toEqual(new Date('2023-06-14T12:30:00Z'));
    expect(before.requests({ path: '/v1beta1/news' })).toHaveLength(2); // one article a page
    await before.close();
  });

  it('filters by start and end', async () => {
    // Act
    const articles = await alpaca.marketData.collectNews({
      symbols: 'TSLA',
      start: new Date('2023-06-13T00:00:00Z'),
      end: new Date('2023-06-30T00:00:00Z'),
    });
    // Assess
    expect(articles.map((a) => a.id)).toEqual([31_000_008]);
  });
});
