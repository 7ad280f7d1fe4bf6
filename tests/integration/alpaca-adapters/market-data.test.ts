import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlpacaTestServer,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';
import {
  type CboeServer,
  shippedVixAsCboe,
  startCboeServer,
} from '../../../scripts/local/cboe-server.js';
import { CboeVixSource } from '../../../shared/adapters/alpaca/cboe-vix.js';
import {
  AlpacaMarketData,
  type AlpacaMarketDataOptions,
} from '../../../shared/adapters/alpaca/market-data.js';
import { HistoryMarketData } from '../../../shared/backtest/history-market-data.js';
import {
  ConfigError,
  InvalidInputError,
  MarketDataUnavailableError,
} from '../../../shared/domain/errors.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import { rulesCalendar, shippedHistory, testClient } from './fixture.js';

const BARS = { method: 'GET', path: '/v2/stocks/bars' } as const;

let history: MarketHistory;
let local: HistoryMarketData;
let server: AlpacaTestServer;
let cboe: CboeServer;
beforeAll(async () => {
  history = await shippedHistory();
  local = new HistoryMarketData(history);
  [server, cboe] = await Promise.all([
    startAlpacaServer({ history, date: '2023-06-30', at: '17:00' }),
    startCboeServer(await shippedVixAsCboe()),
  ]);
});
afterAll(() => Promise.all([server.close(), cboe.close()]));
afterEach(() => server.faults.clear());

function adapter(
  options: Partial<AlpacaMarketDataOptions> & {
    target?: AlpacaTestServer;
    timeoutMs?: number;
  } = {},
) {
  const { target = server, timeoutMs, ...rest } = options;
  return new AlpacaMarketData(testClient(target, timeoutMs ? { timeoutMs } : {}), {
    symbols: history.symbols,
    vix: new CboeVixSource({ calendar: rulesCalendar, url: cboe.url }),
    calendar: rulesCalendar,
    ...rest,
  });
}

/** What the test server received for bars since `from` (a request count before the act). */
const barRequests = (from = 0, target = server) => target.requests(BARS).slice(from);

describe('the same bars as the local history', () => {
  it.each(['2014-01-03', '2020-03-16', '2023-06-14', '2023-06-30'])(
    'dayBars(%s) equals HistoryMarketData',
    async (date) => {
      // Act
      const [alpaca, expected] = await Promise.all([adapter().dayBars(date), local.dayBars(date)]);
      // Assess: bar for bar and the VIX, to the bit
      expect(alpaca).toEqual(expected);
    },
  );

  it('daysBefore gives exactly the sessions asked for, equal to the tail of the local history', async () => {
    // Prepare
    const before = barRequests().length;
    // Act
    const alpaca = await adapter({ pageSize: 1_000 }).daysBefore('2023-06-14', 60);
    const expected = (await local.daysBefore('2023-06-14', 60)).slice(-60);
    // Assess: 36 symbols × 60 sessions = 2,160 bars on three pages of 1,000
    expect(alpaca).toEqual(expected);
    expect(alpaca.map((day) => day.date).at(-1)).toBe('2023-06-13');
    expect(barRequests(before).map((r) => r.query.page_token !== undefined)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('follows next_page_token across pages, with split adjustment and the iex feed', async () => {
    // Prepare
    const before = barRequests().length;
    // Act: 36 bars at 7 a page
    const day = await adapter({ pageSize: 7 }).dayBars('2023-06-14');
    // Assess
    expect(day).toEqual(await local.dayBars('2023-06-14'));
    const sent = barRequests(before);
    expect(sent).toHaveLength(6);
    expect(sent[0]!.query).toMatchObject({
      symbols: history.symbols.join(','),
      timeframe: '1Day',
      adjustment: 'split',
      feed: 'iex',
      limit: '7',
      start: '2023-06-14T04:00:00.000Z',
      end: '2023-06-14T04:00:00.000Z',
    });
  });

  it('asks for the sip feed when configured', async () => {
    // Prepare
    const before = barRequests().length;
    // Act
    await adapter({ feed: 'sip' }).dayBars('2023-06-14');
    // Assess
    expect(barRequests(before)[0]!.query.feed).toBe('sip');
  });
});

describe('transient failures: the SDK retries, within the configured budget', () => {
  it('a burst of two 500s, then the bars: three requests', async () => {
    // Prepare
    server.faults.failNext(2, { ...BARS, status: 500 });
    const before = barRequests().length;
    // Act
    const day = await adapter().dayBars('2023-06-14');
    // Assess
    expect(day.close).toEqual((await local.dayBars('2023-06-14')).close);
    expect(barRequests(before).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('503 past the retries: MarketDataUnavailableError naming the call and request id, four requests', async () => {
    // Prepare
    server.faults.failNext(10, { ...BARS, status: 503 });
    const before = barRequests().length;
    // Act
    const read = adapter().dayBars('2023-06-14');
    // Assess: one request and three retries, then the state machine decides
    await expect(read).rejects.toThrow(MarketDataUnavailableError);
    await expect(read).rejects.toThrow(
      /^Alpaca GET \/v2\/stocks\/bars: 503 service unavailable \(request id 0{20}[0-9a-f]{12}, code 50310000\)$/,
    );
    expect(barRequests(before)).toHaveLength(4);
  });

  it('a 429 with Retry-After waits that long, then succeeds', async () => {
    // Prepare
    server.faults.failNext(1, { ...BARS, status: 429, headers: { 'Retry-After': '1' } });
    const before = barRequests().length;
    const started = Date.now();
    // Act
    await adapter().dayBars('2023-06-14');
    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(barRequests(before).map((r) => r.status)).toEqual([429, 200]);
  });

  it('429s past the retries: MarketDataUnavailableError, four requests', async () => {
    // Prepare
    server.faults.failNext(10, { ...BARS, status: 429, headers: { 'Retry-After': '0' } });
    const before = barRequests().length;
    // Act
    const read = adapter().dayBars('2023-06-14');
    // Assess
    await expect(read).rejects.toThrow(/^Alpaca GET \/v2\/stocks\/bars: 429 rate limit exceeded/);
    await expect(read).rejects.toBeInstanceOf(MarketDataUnavailableError);
    expect(barRequests(before)).toHaveLength(4);
  });

  it("Alpaca's own limit (X-RateLimit-Reset, no Retry-After): one retry after the window resets", async () => {
    // Prepare: two requests a second, both spent
    const limited = await startAlpacaServer({
      history,
      date: '2023-06-30',
      rateLimit: { limit: 2, windowMs: 1_000 },
    });
    try {
      const bars = adapter({ target: limited });
      await bars.dayBars('2023-06-13');
      await bars.dayBars('2023-06-13');
      const started = Date.now();
      // Act
      const day = await bars.dayBars('2023-06-14');
      // Assess
      expect(day).toEqual(await local.dayBars('2023-06-14'));
      expect(barRequests(0, limited).map((r) => r.status)).toEqual([200, 200, 429, 200]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await limited.close();
    }
  });

  it('a connection dropped before an answer is retried by the SDK', async () => {
    // Prepare
    server.faults.dropNext({ ...BARS, when: 'before' });
    const before = barRequests().length;
    // Act
    const day = await adapter().dayBars('2023-06-14');
    // Assess
    expect(day.date).toBe('2023-06-14');
    expect(barRequests(before).map((r) => r.outcome)).toEqual(['dropped-before', 'answered']);
  });

  it('connections dropped past the retries: MarketDataUnavailableError, four requests', async () => {
    // Prepare
    server.faults.dropNext({ ...BARS, when: 'before', count: 10 });
    const before = barRequests().length;
    // Act
    const read = adapter().dayBars('2023-06-14');
    // Assess
    await expect(read).rejects.toBeInstanceOf(MarketDataUnavailableError);
    await expect(read).rejects.toThrow(/^Alpaca GET \/v2\/stocks\/bars: network failure: /);
    expect(barRequests(before)).toHaveLength(4);
  });

  it('a timeout is not retried by the SDK: MarketDataUnavailableError, for the state machine to retry', async () => {
    // Prepare
    server.faults.delayNext(600, { ...BARS });
    const before = barRequests().length;
    // Act
    const read = adapter({ timeoutMs: 150 }).dayBars('2023-06-14');
    // Assess
    await expect(read).rejects.toThrow(
      'Alpaca GET /v2/stocks/bars: Request timed out after 150 ms',
    );
    await expect(read).rejects.toBeInstanceOf(MarketDataUnavailableError);
    expect(barRequests(before)).toHaveLength(1);
  });
});

describe('failures that a retry cannot mend', () => {
  it('a 401 is a ConfigError, sent once', async () => {
    // Prepare
    const before = barRequests().length;
    const wrongKeys = new AlpacaMarketData(testClient(server, { secret: 'not-the-secret' }), {
      symbols: history.symbols,
      vix: new CboeVixSource({ calendar: rulesCalendar, url: cboe.url }),
      calendar: rulesCalendar,
    });
    // Act
    const read = wrongKeys.dayBars('2023-06-14');
    // Assess
    await expect(read).rejects.toBeInstanceOf(ConfigError);
    await expect(read).rejects.toThrow(
      /^Alpaca GET \/v2\/stocks\/bars: 401 request is not authorized \(request id \w+, code 40110000\): the API key or secret is wrong/,
    );
    expect(barRequests(before)).toHaveLength(1);
  });

  it('a 403 (a feed the plan lacks) is a ConfigError', async () => {
    // Prepare
    server.faults.failNext(1, {
      ...BARS,
      status: 403,
      message: 'subscription does not permit querying recent SIP data',
    });
    // Act
    const read = adapter({ feed: 'sip' }).dayBars('2023-06-14');
    // Assess: the SDK adds its hint on the free feed
    await expect(read).rejects.toBeInstanceOf(ConfigError);
    await expect(read).rejects.toThrow(
      /403 subscription does not permit .*pass `\{ feed: "iex" \}`/,
    );
  });

  it('a symbol without a bar is listed as missing, its row NaN, the others as served', async () => {
    // Act
    const day = await adapter({ symbols: ['AAPL', 'NOPE', 'MSFT'] }).dayBars('2023-06-14');
    // Assess
    expect(day.missing).toEqual(['NOPE']);
    expect(day.close[1]).toBeNaN();
    expect(day.volume[1]).toBeNaN();
    expect(Number.isFinite(day.close[0]!) && Number.isFinite(day.close[2]!)).toBe(true);
  });

  it('a session most of the universe lacks fails as not available yet, naming them', async () => {
    // Act
    const read = adapter({ symbols: ['AAPL', 'MSFT'] }).dayBars('2023-06-17');
    // Assess: transient, so the state machine tries again later
    await expect(read).rejects.toBeInstanceOf(MarketDataUnavailableError);
    await expect(read).rejects.toThrow('no iex bars yet for 2023-06-17 (2 of 2: AAPL, MSFT)');
  });

  it.each([
    { field: 'high' as const, value: 1, reason: /AAPL on 2023-06-14: high \(1\) is below low/ },
    {
      field: 'close' as const,
      value: Number.NaN,
      reason: /AAPL on 2023-06-14: close must be a positive number \(null\)/,
    },
    {
      field: 'volume' as const,
      value: -5,
      reason: /AAPL on 2023-06-14: volume must be a number not below zero \(-5\)/,
    },
  ])(
    'a bar with $field $value fails the day, naming symbol and date',
    async ({ field, value, reason }) => {
      // Prepare: the server serves a copy of the data with one bar broken
      const d = history.dates.indexOf('2023-06-14');
      const broken = { ...history, [field]: history[field].slice() };
      broken[field][d * history.symbols.length + history.symbols.indexOf('AAPL')] = value;
      const bad = await startAlpacaServer({ history: broken, date: '2023-06-30' });
      try {
        // Act
        const read = adapter({ target: bad }).dayBars('2023-06-14');
        // Assess
        await expect(read).rejects.toBeInstanceOf(InvalidInputError);
        await expect(read).rejects.toThrow(reason);
      } finally {
        await bad.close();
      }
    },
  );
});

describe('the VIX from CBOE', () => {
  it('stands in the last close, flagged stale, when CBOE has no row for the date yet', async () => {
    // Prepare: CBOE's file ends two sessions early
    const late = await startCboeServer(await shippedVixAsCboe('2023-06-12'));
    const bars = adapter({ vix: new CboeVixSource({ calendar: rulesCalendar, url: late.url }) });
    try {
      // Act
      const day = await bars.dayBars('2023-06-14');
      // Assess
      const june12 = (await local.dayBars('2023-06-12')).vix;
      expect(day.vix).toBe(june12);
      expect(day.vixAsOf).toBe('2023-06-12');
      // The day's own close: no stand-in to report
      expect((await bars.dayBars('2023-06-12')).vixAsOf).toBeUndefined();
    } finally {
      await late.close();
    }
  });
});
