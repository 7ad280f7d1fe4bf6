import type { DayBars } from '../domain/market/history.js';
import type { Intent, Side } from '../domain/model.js';

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

/**
 * What an order is to the books. `open`: working, or waiting for its session or its entry (an OTO
 * leg). `pending_cancel`: a cancel was asked and the venue has not completed it: the order may
 * still fill, yet it protects nothing any more and must be waited on, never cancelled again (the
 * shares it holds are not free until it ends). The rest are final, each with what filled before
 * it ended: a canceled or expired order may have filled in part.
 */
export type OrderStatus =
  | 'open'
  | 'pending_cancel'
  | 'filled'
  | 'canceled'
  | 'expired'
  | 'rejected';

/** Every OrderStatus, for the schemas that read one back. */
export const ORDER_STATUSES = [
  'open',
  'pending_cancel',
  'filled',
  'canceled',
  'expired',
  'rejected',
] as const satisfies readonly OrderStatus[];

/** `day`: what has not filled by its session's close expires; `gtc`: works until filled or cancelled. */
export type TimeInForce = 'day' | 'gtc';

export interface OrderRequest {
  /** Deterministic: trading date, symbol, side and intent */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  readonly type: 'market' | 'stop';
  readonly stopPrice?: number;
  readonly intent: Intent;
  readonly timeInForce: TimeInForce;
  /**
   * A protective stop sent with a market entry (one-triggers-other): it lives once the entry
   * fills, for what the entry filled, with the entry's time in force (a venue gives both one)
   */
  readonly stopLoss?: { readonly clientOrderId: string; readonly stopPrice: number };
}

export interface Order extends OrderRequest {
  readonly status: OrderStatus;
  readonly submittedAt: string;
  /** Shares filled so far, in any status (a canceled or expired order may have filled some) */
  readonly filledQty: number;
  /** Their average price; null while nothing filled */
  readonly filledAvgPrice: number | null;
  /** Trading date of the fill */
  readonly filledDate: string | null;
  readonly commission: number;
  readonly rejectReason: string | null;
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

/** A venue. Submits are idempotent on clientOrderId: an id seen before returns the existing order. */
export interface Broker {
  getAccount(): Promise<Account>;
  /**
   * The account at the venue's live marks, unlike getAccount's official closes: what the equity
   * probe compares with the previous close during the session
   */
  getLiveEquity(): Promise<LiveEquity>;
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

/** A trading date as the exchange sees it. */
export type MarketDay =
  | {
      readonly date: string;
      readonly open: true;
      /** New York wall-clock close, HH:MM: 16:00, or 13:00 on an early-close day */
      readonly closeTime: string;
      readonly earlyClose: boolean;
    }
  | {
      readonly date: string;
      readonly open: false;
      /** "weekend", or the holiday's name */
      readonly reason: string;
    };

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
