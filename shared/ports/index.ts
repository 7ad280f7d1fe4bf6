import type { MarketDay } from '../domain/calendar/market-day.js';
import type { DayBars } from '../domain/market/history.js';
import type { Order, OrderRequest } from '../domain/orders/order.js';

// The order and calendar vocabulary is the domain's; the ports speak it and pass it on
export type { MarketDay } from '../domain/calendar/market-day.js';
export {
  ORDER_STATUSES,
  type Order,
  type OrderRequest,
  type OrderStatus,
  type TimeInForce,
} from '../domain/orders/order.js';

/** Daily bars for the universe; production reads Alpaca and CBOE, the backtest an in-memory history. */
export interface MarketData {
  /** Every universe symbol's bar for the trading date plus the VIX close; throws when any is missing. */
  dayBars(date: string): Promise<DayBars>;
  /**
   * The sessions before a date, oldest first, to warm the indicators up on a first run: at least
   * `minSessions` where the source has them (a local data folder gives its whole history).
   */
  daysBefore(date: string, minSessions: number): Promise<readonly DayBars[]>;
}

export interface Headline {
  readonly id: string;
  readonly symbols: readonly string[];
  readonly headline: string;
  readonly summary?: string;
  /** ISO timestamp */
  readonly createdAt: string;
}

/** Dated, ticker-tagged headlines (Alpaca's news API in production). */
export interface NewsSource {
  headlines(symbols: readonly string[], since: Date, until: Date): Promise<readonly Headline[]>;
}

export interface Account {
  readonly cash: number;
  /** Cash plus positions marked at the last close */
  readonly equity: number;
}

/** The account as the venue marks it now, for a reading during the session. */
export interface LiveEquity {
  /** Cash plus the positions at the venue's latest prices (Alpaca's `equity`): it moves all day */
  readonly equity: number;
  /** The venue's equity at the previous session's close (Alpaca's `last_equity`); null: it keeps none */
  readonly lastCloseEquity: number | null;
}

export interface BrokerPosition {
  readonly symbol: string;
  readonly qty: number;
}

/** A symbol the venue reports inactive or not tradable: no new entries; its exits still run. */
export interface Untradable {
  readonly symbol: string;
  readonly reason: string;
}

/** A venue. Submits are idempotent on clientOrderId: an id seen before returns the existing order. */
export interface Broker {
  getAccount(): Promise<Account>;
  /**
   * The account at the venue's live marks, unlike getAccount's official closes: what the equity
   * probe compares with the previous close during the session
   */
  getLiveEquity(): Promise<LiveEquity>;
  /** The symbols of `symbols` the venue will not open a position in today, each with its reason */
  untradable(symbols: readonly string[]): Promise<readonly Untradable[]>;
  getPositions(): Promise<readonly BrokerPosition[]>;
  getOrder(clientOrderId: string): Promise<Order | undefined>;
  submitOrder(request: OrderRequest): Promise<Order>;
  cancelOrder(clientOrderId: string): Promise<Order | undefined>;
}

/** The only source of "now" in the core: production reads the system clock, the backtest sets it. */
export interface Clock {
  now(): Date;
}

export * from './state-store.js';

/** The exchange calendar (NYSE rules locally, Alpaca's calendar in production). */
export interface Calendar {
  day(date: string): Promise<MarketDay>;
  /** The last session strictly before a date */
  previousSession(date: string): Promise<string>;
  /** Sessions strictly after `after` and strictly before `before`, oldest first */
  sessionsBetween(after: string, before: string): Promise<readonly string[]>;
}

/**
 * The market between two runs. A simulated venue opens every session since its last one (fills at
 * the open, stops on the low) up to the run's date; a real venue has traded on its own.
 */
export interface Venue {
  openSessionsThrough(tradingDate: string): Promise<void>;
}

/** A PNG the HTML part shows inline, as `<img src="cid:<cid>">`. */
export interface InlineImage {
  readonly cid: string;
  readonly filename: string;
  readonly png: Uint8Array;
}

export interface EmailMessage {
  /**
   * `halt`: the circuit breaker's alert, sent by the halt function, not the run; `backtest`: a
   * sweep's summary, sent by the backtest state machine's merge function
   */
  readonly kind: 'daily' | 'market-closed' | 'failure' | 'halt' | 'backtest';
  readonly tradingDate: string;
  readonly subject: string;
  /** Stands alone: a reader without HTML or images misses nothing that matters */
  readonly text: string;
  readonly html: string;
  readonly images?: readonly InlineImage[];
}

/** Sends the run's email (SES in AWS, an outbox folder locally). */
export interface Mailer {
  /** Returns where the message went: SES's message id, or the outbox file */
  send(message: EmailMessage): Promise<string>;
}

/** Text objects by key (S3 in AWS, s3rver locally): where snapshots live. */
export interface ObjectStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, body: string): Promise<void>;
}

/** Links a reader can open to a stored object (a presigned S3 URL, or a local file's path). */
export interface ObjectLinks {
  /** `contentType`: how the reader's browser should show it (S3 stores our objects as JSON) */
  link(key: string, contentType: string): Promise<string>;
}
