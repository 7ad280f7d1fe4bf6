import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadDataFolder, loadSymbolsMeta } from '../../../shared/adapters/data-folder.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import { newYorkTime } from '../../../shared/domain/time.js';
import { type AssetState, Assets } from './assets.js';
import { sessionTimes } from './calendar.js';
import { Faults, matches, type RequestMatch } from './faults.js';
import { Handler, type RateLimitOption, type RecordedRequest } from './handler.js';
import { Market } from './market.js';
import { NEWS_FIXTURE, type NewsArticle } from './news-fixture.js';
import { Venue } from './venue.js';

/** A point of a New York day: its session's open or close, or a wall-clock time `HH:MM`. */
export type DayPoint = 'open' | 'close' | (string & {});

export interface AlpacaServerOptions {
  /** Folder with prices/daily.csv and vix/daily.csv; `data` (the shipped data) unless told */
  readonly dataDir?: string;
  /** Bars already loaded, instead of reading `dataDir` */
  readonly history?: MarketHistory;
  readonly keyId?: string;
  readonly secret?: string;
  /** Starting cash; 100,000 unless told */
  readonly cash?: number;
  /** The server clock's start: a date and a point of it; the last shipped date at 17:00 unless told */
  readonly date?: string;
  readonly at?: DayPoint;
  /** How long a cancel stays `pending_cancel`: real ms (100), 0, or until the next open or close */
  readonly cancelDelayMs?: number | 'next-event';
  /** Alpaca has answered wash trades with both; 403 unless told */
  readonly washTradeStatus?: 403 | 422;
  /** How far above the last price a market buy is priced for buying power; 3 % unless told */
  readonly marketBuyBuffer?: number;
  /** Age at which a GTC order expires at a close; 90 days unless told */
  readonly gtcExpiryDays?: number;
  /** The port on 127.0.0.1; an ephemeral one unless told */
  readonly port?: number;
  /** Requests per window and API (trading, market data); 200 a minute unless told, false for none */
  readonly rateLimit?: RateLimitOption;
  readonly news?: readonly NewsArticle[];
  /**
   * What an OTO entry's stop leg covers once the entry ends after a partial fill: the shares that
   * filled (unless told), or all it ordered, as Alpaca's documents do not rule out
   */
  readonly legQtyOnPartialFill?: 'filled' | 'ordered';
  /**
   * Sessions the exchange closed outside its rules (a day of mourning): left out of the calendar
   * endpoints, which is all the bot asks. The clock and the server's own opens and closes still
   * follow the rules
   */
  readonly closures?: readonly string[];
}

export interface AlpacaTestServer {
  /** http://127.0.0.1:<port>: serves both the trading and the market data API */
  readonly url: string;
  readonly keyId: string;
  readonly secret: string;
  readonly faults: Faults;
  readonly venue: Venue;
  now(): Date;
  /** Moves the clock to a point of a New York date, running every open and close on the way. */
  advanceTo(date: string, at?: DayPoint): void;
  setTime(instant: Date): void;
  /** Every request received, in arrival order, narrowed by method and path if asked. */
  requests(match?: RequestMatch): RecordedRequest[];
  /** Every order the server holds, legs included, in submission order, as Alpaca's JSON. */
  orders(): Record<string, unknown>[];
  order(idOrClientOrderId: string): Record<string, unknown> | undefined;
  account(): ReturnType<Venue['account']>;
  positions(): ReturnType<Venue['positions']>;
  expireOrder(idOrClientOrderId: string): void;
  setAsset(symbol: string, state: Partial<AssetState>): void;
  /** A position placed outside the bot (a manual trade); qty 0 removes it. */
  setPosition(symbol: string, qty: number, averagePrice: number): void;
  close(): Promise<void>;
}

const loaded = new Map<string, Promise<[MarketHistory, ReadonlyMap<string, string>]>>();

// One load per folder and test file: the price file is 6.5 MB
function loadData(dir: string) {
  let data = loaded.get(dir);
  if (!data) {
    data = Promise.all([
      loadDataFolder(dir, { benchmark: 'none' }),
      loadSymbolsMeta(dir).then((meta) => new Map(meta?.map((row) => [row.symbol, row.name]))),
    ]);
    loaded.set(dir, data);
  }
  return data;
}

/** The instant of a point of a New York date. */
export function instantOf(date: string, at: DayPoint = 'close'): Date {
  if (at !== 'open' && at !== 'close') return newYorkTime(date, at);
  const times = sessionTimes(date);
  if (!times) throw new Error(`${date} is not an NYSE session, so it has no ${at}`);
  return at === 'open' ? times.open : times.close;
}

/** Starts an Alpaca-compatible server on 127.0.0.1 and an ephemeral port. */
export async function startAlpacaServer(
  options: AlpacaServerOptions = {},
): Promise<AlpacaTestServer> {
  const [history, names] = options.history
    ? [options.history, new Map<string, string>()]
    : await loadData(options.dataDir ?? 'data');
  const market = new Market(history);
  const faults = new Faults();
  const venue = new Venue(market, new Assets(history.symbols, names), faults, {
    cash: options.cash ?? 100_000,
    start: instantOf(options.date ?? market.lastDate, options.at ?? '17:00'),
    cancelDelayMs: options.cancelDelayMs ?? 100,
    washTradeStatus: options.washTradeStatus ?? 403,
    marketBuyBuffer: options.marketBuyBuffer ?? 0.03,
    gtcExpiryDays: options.gtcExpiryDays ?? 90,
    news: options.news ?? NEWS_FIXTURE,
    legQtyOnPartialFill: options.legQtyOnPartialFill ?? 'filled',
    closures: options.closures ?? [],
  });
  const handler = new Handler(venue, faults, {
    keyId: options.keyId ?? 'test-key-id',
    secret: options.secret ?? 'test-secret',
    rateLimit: options.rateLimit ?? { limit: 200 },
  });

  // A request the client abandoned mid-body has nothing left to answer
  const server = createServer((req, res) => {
    handler.handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const orderOf = (ref: string) => {
    const order = venue.find(ref);
    if (!order) throw new Error(`the Alpaca test server has no order ${ref}`);
    return order;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    keyId: handler.keyId,
    secret: handler.secret,
    faults,
    venue,
    now: () => venue.now,
    advanceTo: (date, at = 'close') => venue.advanceTo(instantOf(date, at)),
    setTime: (instant) => venue.advanceTo(instant),
    requests: (match = {}) =>
      handler.recorded.filter((r) => matches(match, r.method, r.path)).map((r) => ({ ...r })),
    orders: () => {
      venue.settle();
      return venue.book.all().map((order) => venue.wireOrder(order, false));
    },
    order: (ref) => {
      venue.settle();
      const order = venue.find(ref);
      return order && venue.wireOrder(order, true);
    },
    account: () => venue.account(),
    positions: () => venue.positions(),
    expireOrder: (ref) => venue.expire(orderOf(ref)),
    setAsset: (symbol, state) => venue.assets.set(symbol, state),
    setPosition: (symbol, qty, price) => venue.setPosition(symbol, qty, price),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

export type { RecordedRequest };
