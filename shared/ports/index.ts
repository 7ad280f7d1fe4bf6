import type { DayBars } from '../domain/market/history.js';
import type { Intent, Side } from '../domain/model.js';

/** Daily bars for the universe; production reads Alpaca and CBOE, the backtest an in-memory history. */
export interface MarketData {
  /** Every universe symbol's bar for the trading date plus the VIX close; throws when any is missing. */
  dayBars(date: string): Promise<DayBars>;
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

export type OrderStatus = 'accepted' | 'filled' | 'canceled' | 'rejected';

export interface OrderRequest {
  /** Deterministic: trading date, symbol, side and intent */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  readonly type: 'market' | 'stop';
  readonly stopPrice?: number;
  readonly intent: Intent;
  /** A protective stop sent with a market entry (one-triggers-other): it lives once the entry fills */
  readonly stopLoss?: { readonly clientOrderId: string; readonly stopPrice: number };
}

export interface Order extends OrderRequest {
  readonly status: OrderStatus;
  readonly submittedAt: string;
  readonly filledQty: number;
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

export interface BrokerPosition {
  readonly symbol: string;
  readonly qty: number;
}

/** A venue. Submits are idempotent on clientOrderId: an id seen before returns the existing order. */
export interface Broker {
  getAccount(): Promise<Account>;
  getPositions(): Promise<readonly BrokerPosition[]>;
  getOrder(clientOrderId: string): Promise<Order | undefined>;
  submitOrder(request: OrderRequest): Promise<Order>;
  cancelOrder(clientOrderId: string): Promise<Order | undefined>;
}

/** The only source of "now" in the core: production reads the system clock, the backtest sets it. */
export interface Clock {
  now(): Date;
}

/** Where the pipeline keeps state between steps and days (DynamoDB and S3 in production). */
export interface StateStore {
  get<T>(key: StateKey): Promise<T | undefined>;
  put<T>(key: StateKey, value: T): Promise<void>;
}

/**
 * Long-lived documents have fixed names; per-run artefacts are keyed by trading date, so a retried
 * step, a retried execution and the backtest of that day all address the same record.
 */
export type StateKey = 'market-state' | 'portfolio' | `run/${string}/${RunArtifact}`;

export type RunArtifact =
  | 'day'
  | 'regime'
  | 'signals'
  | 'candidates'
  | 'sized'
  | 'decisions'
  | 'orders'
  | 'exits'
  | 'fills'
  | 'report';

export const runKey = (tradingDate: string, artifact: RunArtifact): StateKey =>
  `run/${tradingDate}/${artifact}`;
