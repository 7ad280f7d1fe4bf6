import type { Alpaca } from '@alpacahq/alpaca-trade-api/rest';
import { MarketDataUnavailableError } from '../../domain/errors.js';
import type { Headline, NewsSource } from '../../ports/index.js';
import { mapRead } from './errors.js';

// Alpaca's largest page: the fewest requests for a day's headlines
const PAGE_SIZE = 50;

/** Ticker-tagged headlines from Alpaca's news API (`GET /v1beta1/news`), every page of a window. */
export class AlpacaNewsSource implements NewsSource {
  readonly #client: Alpaca;

  constructor(client: Alpaca) {
    this.#client = client;
  }

  async headlines(
    symbols: readonly string[],
    since: Date,
    until: Date,
  ): Promise<readonly Headline[]> {
    // No symbols would ask for all of the market's news
    if (symbols.length === 0) return [];
    const articles = await mapRead('GET /v1beta1/news', MarketDataUnavailableError, () =>
      this.#client.marketData.collectNews({
        symbols: [...symbols],
        start: since,
        end: until,
        sort: 'desc',
        limit: PAGE_SIZE,
      }),
    );
    return articles.map((article) => ({
      id: String(article.id),
      symbols: article.symbols,
      headline: article.headline,
      ...(article.summary !== '' && { summary: article.summary }),
      createdAt: article.createdAt.toISOString(),
    }));
  }
}
