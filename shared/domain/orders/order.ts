import type { Intent, Side } from '../model.js';

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
