import { newYorkTime } from '../../../shared/domain/time.js';
import { badRequest } from './errors.js';
import type { NewsArticle } from './news-fixture.js';
import {
  instantParam,
  intParam,
  listParam,
  ok,
  type Reply,
  type Route,
  type RouteContext,
  route,
} from './router.js';
import { barTimestamp, decodeToken, encodeToken, newYorkDate } from './wire.js';

/** Alpaca's market data API (data.alpaca.markets): daily stock bars from data/, news from a fixture. */
export const marketDataRoutes: readonly Route[] = [
  route('GET', /^\/v2\/stocks\/bars$/, (ctx) => {
    const symbols = listParam(ctx.query, 'symbols');
    if (symbols.length === 0) throw badRequest('missing symbols');
    const page = barsPage(ctx, symbols);
    const bars: Record<string, unknown[]> = {};
    for (const { symbol, bar } of page.items) {
      const list = bars[symbol] ?? [];
      if (list.length === 0) bars[symbol] = list;
      list.push(bar);
    }
    return ok({ bars, next_page_token: page.next });
  }),
  route('GET', /^\/v2\/stocks\/([^/]+)\/bars$/, (ctx) => {
    const symbol = ctx.params[0]!;
    const page = barsPage(ctx, [symbol]);
    return ok({ bars: page.items.map((item) => item.bar), symbol, next_page_token: page.next });
  }),
  route('GET', /^\/v1beta1\/news$/, news),
];

const TIMEFRAMES = new Set(['1Day', '1D', '1day']);
const FEEDS = new Set(['iex', 'sip', 'delayed_sip', 'otc', 'boats']);
const ADJUSTMENTS = new Set(['raw', 'split', 'dividend', 'spin-off', 'all']);

// Bars sorted by symbol, then time; `limit` counts bars over all symbols, as Alpaca's does. The
// shipped OHLC is split-adjusted only, so every adjustment answers the same numbers
function barsPage(ctx: RouteContext, requested: readonly string[]) {
  const { venue, query } = ctx;
  const timeframe = query.get('timeframe');
  if (!timeframe) throw badRequest('timeframe is required');
  if (!TIMEFRAMES.has(timeframe)) {
    throw badRequest(
      `timeframe ${timeframe}: only daily bars are served by the Alpaca test server`,
    );
  }
  if (!FEEDS.has(query.get('feed') ?? 'iex')) throw badRequest('invalid feed');
  if (!listParam(query, 'adjustment').every((item) => ADJUSTMENTS.has(item))) {
    throw badRequest('invalid adjustment');
  }
  const sort = query.get('sort') ?? 'asc';
  if (sort !== 'asc' && sort !== 'desc') throw badRequest('invalid sort');
  const now = venue.now;
  // Alpaca's defaults: from the start of the current day, to now
  const start = instantParam(query, 'start') ?? newYorkTime(newYorkDate(now), '00:00');
  const end = instantParam(query, 'end') ?? now;
  const limit = intParam(query, 'limit', 1000, 10_000);

  const { market } = venue;
  const symbols = [...new Set(requested)].filter((symbol) => market.has(symbol)).sort();
  const { first, last } = market.closedDays(start, end, now);
  const grid = new BarGrid(symbols, market.history.dates, first, last, sort === 'desc');
  const token = query.get('page_token');
  const offset = token ? grid.indexOf(decodeToken(token)) : 0;
  if (offset < 0) throw badRequest('invalid page_token');

  const items = [];
  for (let k = offset; k < Math.min(offset + limit, grid.size); k++) {
    const { symbol, date } = grid.at(k);
    const bar = market.bar(symbol, date);
    items.push({
      symbol,
      bar: {
        t: barTimestamp(date),
        o: bar.open,
        h: bar.high,
        l: bar.low,
        c: bar.close,
        v: bar.volume,
        // The shipped data has neither: no trade count, and the typical price for the VWAP
        n: 0,
        vw: Math.round(((bar.high + bar.low + bar.close) / 3) * 10_000) / 10_000,
      },
    });
  }
  const next = offset + limit < grid.size ? encodeToken(grid.positionAt(offset + limit)) : null;
  return { items, next };
}

/** The bars a request covers, symbol-major with the days in the requested order. */
class BarGrid {
  readonly #symbols: readonly string[];
  readonly #dates: readonly string[];
  readonly #first: number;
  readonly #last: number;
  readonly #descending: boolean;

  constructor(
    symbols: readonly string[],
    dates: readonly string[],
    first: number,
    last: number,
    descending: boolean,
  ) {
    this.#symbols = symbols;
    this.#dates = dates;
    this.#first = first;
    this.#last = last;
    this.#descending = descending;
  }

  get days(): number {
    return Math.max(0, this.#last - this.#first + 1);
  }

  get size(): number {
    return this.#symbols.length * this.days;
  }

  at(k: number): { symbol: string; date: string } {
    const j = k % this.days;
    const d = this.#descending ? this.#last - j : this.#first + j;
    return { symbol: this.#symbols[Math.floor(k / this.days)]!, date: this.#dates[d]! };
  }

  /** A page token's position: the symbol and date of the bar the next page starts with. */
  positionAt(k: number): string {
    const { symbol, date } = this.at(k);
    return `${symbol}|${date}`;
  }

  /** The index of a position; -1 when it is not in this request's bars. */
  indexOf(position: string): number {
    const [symbol = '', date = ''] = position.split('|');
    const s = this.#symbols.indexOf(symbol);
    const d = this.#dates.indexOf(date);
    const j = this.#descending ? this.#last - d : d - this.#first;
    return s < 0 || d < 0 || j < 0 || j >= this.days ? -1 : s * this.days + j;
  }
}

// GET /v1beta1/news: newest first, 10 a page (50 at most), articles published by the server's now
function news({ venue, query }: RouteContext): Reply {
  const symbols = listParam(query, 'symbols');
  const start = instantParam(query, 'start');
  const end = instantParam(query, 'end') ?? venue.now;
  const limit = intParam(query, 'limit', 10, 50);
  const sort = query.get('sort') ?? 'desc';
  if (sort !== 'asc' && sort !== 'desc') throw badRequest('invalid sort');
  const withContent = query.get('include_content') === 'true';
  const contentless = query.get('exclude_contentless') === 'true';
  const token = query.get('page_token');
  const offset = token ? Number(decodeToken(token)) : 0;
  if (!(Number.isInteger(offset) && offset >= 0)) throw badRequest('invalid page_token');

  const visible = venue.options.news.filter((article) => {
    const created = new Date(article.created_at);
    return (
      created <= venue.now &&
      created <= end &&
      (!start || created >= start) &&
      (symbols.length === 0 || article.symbols.some((symbol) => symbols.includes(symbol))) &&
      (!contentless || article.content !== '')
    );
  });
  const byTime = (a: NewsArticle, b: NewsArticle) =>
    a.created_at.localeCompare(b.created_at) || a.id - b.id;
  const sorted = visible.sort((a, b) => (sort === 'asc' ? byTime(a, b) : byTime(b, a)));
  const page = sorted.slice(offset, offset + limit);
  return ok({
    news: page.map((article) => ({ ...article, content: withContent ? article.content : '' })),
    next_page_token: offset + limit < sorted.length ? encodeToken(String(offset + limit)) : null,
  });
}
