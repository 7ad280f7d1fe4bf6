import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlpacaTestServer,
  NEWS_FIXTURE,
  type NewsArticle,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';
import { AlpacaNewsSource } from '../../../shared/adapters/alpaca/news.js';
import { MarketDataUnavailableError } from '../../../shared/domain/errors.js';
import { shippedHistory, testClient } from './fixture.js';

const NEWS = { method: 'GET', path: '/v1beta1/news' } as const;

// 120 articles, one every five minutes from 13:00 UTC on 2023-06-20, alternating AAPL and MSFT
const MANY: NewsArticle[] = Array.from({ length: 120 }, (_, k) => {
  const createdAt = new Date(Date.parse('2023-06-20T13:00:00Z') + k * 300_000).toISOString();
  const template = NEWS_FIXTURE[k % NEWS_FIXTURE.length]!;
  return {
    ...template,
    id: 32_000_000 + k,
    created_at: createdAt,
    updated_at: createdAt,
    symbols: [k % 2 === 0 ? 'AAPL' : 'MSFT'],
  };
});

let server: AlpacaTestServer;
let news: AlpacaNewsSource;
beforeAll(async () => {
  server = await startAlpacaServer({
    history: await shippedHistory(),
    date: '2023-06-30',
    news: [...MANY].reverse().concat(NEWS_FIXTURE),
  });
  news = new AlpacaNewsSource(testClient(server));
});
afterAll(() => server.close());

describe('headlines', () => {
  it('follows every page of a window, newest first', async () => {
    // Prepare
    const before = server.requests(NEWS).length;
    const since = new Date('2023-06-20T00:00:00Z');
    const until = new Date('2023-06-21T00:00:00Z');
    // Act
    const headlines = await news.headlines(['AAPL', 'MSFT'], since, until);
    // Assess: 120 articles at 50 a page
    expect(headlines.map((h) => h.id)).toEqual(MANY.map((a) => String(a.id)).reverse());
    const sent = server.requests(NEWS).slice(before);
    expect(sent).toHaveLength(3);
    expect(sent[0]!.query).toMatchObject({
      symbols: 'AAPL,MSFT',
      start: since.toISOString(),
      end: until.toISOString(),
      limit: '50',
      sort: 'desc',
    });
  });

  it('maps an article to a Headline, without an empty summary', async () => {
    // Act
    const headlines = await news.headlines(
      ['NVDA', 'BA'],
      new Date('2023-06-13T00:00:00Z'),
      new Date('2023-06-14T00:00:00Z'),
    );
    // Assess
    expect(headlines).toEqual([
      {
        id: '31000004',
        symbols: ['BA'],
        headline: 'Boeing faces new delay and weak delivery numbers',
        summary: 'A supplier problem is expected to slow deliveries of a popular jet.',
        createdAt: '2023-06-13T22:10:00.000Z',
      },
      {
        id: '31000003',
        symbols: ['NVDA', 'AMD'],
        headline: 'Chip stocks rally on AI optimism',
        createdAt: '2023-06-13T11:15:00.000Z',
      },
    ]);
  });

  it('asks for nothing without symbols', async () => {
    const before = server.requests(NEWS).length;
    expect(await news.headlines([], new Date(0), new Date())).toEqual([]);
    expect(server.requests(NEWS).length).toBe(before);
  });

  it('a 500 burst is retried; past the retries it is MarketDataUnavailableError', async () => {
    // Prepare
    const window = [new Date('2023-06-20T00:00:00Z'), new Date('2023-06-21T00:00:00Z')] as const;
    server.faults.failNext(2, { ...NEWS, status: 500 });
    // Act
    const retried = await news.headlines(['AAPL'], ...window);
    server.faults.failNext(10, { ...NEWS, status: 500 });
    const failed = news.headlines(['AAPL'], ...window);
    // Assess
    expect(retried).toHaveLength(60);
    await expect(failed).rejects.toBeInstanceOf(MarketDataUnavailableError);
    await expect(failed).rejects.toThrow(/^Alpaca GET \/v1beta1\/news: 500 /);
    server.faults.clear();
  });
});
