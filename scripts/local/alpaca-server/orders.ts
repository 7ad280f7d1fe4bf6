import { decimal, iso, stableUuid } from './wire.js';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop';
export type TimeInForce = 'day' | 'gtc';
export type OrderStatus =
  | 'accepted'
  | 'new'
  | 'partially_filled'
  | 'filled'
  | 'pending_cancel'
  | 'canceled'
  | 'expired'
  | 'rejected'
  | 'held'
  // Alpaca's, for an order done for its session (`calculated`: its settlement pending); the
  // sessions here never set them, a test does
  | 'done_for_day'
  | 'calculated';

/** Statuses `GET /v2/orders?status=open` lists; the rest are closed. */
export const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'accepted',
  'new',
  'partially_filled',
  'pending_cancel',
  'held',
]);

/** Statuses in which an order can fill (a `held` leg waits for its parent). */
export const WORKING_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'accepted',
  'new',
  'partially_filled',
  'pending_cancel',
]);

/** An order as the server holds it; mutable, and only ever changed by the book and the sessions. */
export interface ServerOrder {
  readonly seq: number;
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** '' for a simple order, as Alpaca answers; 'oto' or 'bracket' for an entry and its legs */
  readonly orderClass: string;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly positionIntent: string | null;
  readonly extendedHours: boolean;
  readonly parentId: string | null;
  readonly legIds: string[];
  readonly createdAt: Date;
  qty: number;
  status: OrderStatus;
  filledQty: number;
  /** Σ qty × price of the fills, for the average price */
  filledValue: number;
  updatedAt: Date;
  filledAt: Date | null;
  expiredAt: Date | null;
  canceledAt: Date | null;
  failedAt: Date | null;
  /** When a requested cancel completes: a real-time deadline (ms) or the next session event */
  cancelDue: number | 'next-event' | null;
  rejectReason: string | null;
}

/** Alpaca's asset id for a symbol, stable across runs. */
export const assetId = (symbol: string): string => stableUuid(`asset:${symbol}`);

/** The order as Alpaca's JSON, with its legs nested when asked (legs: null otherwise). */
export function toWireOrder(
  order: ServerOrder,
  legs: readonly ServerOrder[] | null,
): Record<string, unknown> {
  const money = (value: number | null) => (value === null ? null : decimal(value));
  return {
    id: order.id,
    client_order_id: order.clientOrderId,
    created_at: iso(order.createdAt),
    updated_at: iso(order.updatedAt),
    submitted_at: iso(order.createdAt),
    filled_at: iso(order.filledAt),
    expired_at: iso(order.expiredAt),
    canceled_at: iso(order.canceledAt),
    failed_at: iso(order.failedAt),
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: assetId(order.symbol),
    symbol: order.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: decimal(order.qty),
    filled_qty: decimal(order.filledQty),
    filled_avg_price: order.filledQty > 0 ? decimal(order.filledValue / order.filledQty) : null,
    order_class: order.orderClass,
    order_type: order.type,
    type: order.type,
    side: order.side,
    position_intent: order.positionIntent,
    time_in_force: order.timeInForce,
    limit_price: money(order.limitPrice),
    stop_price: money(order.stopPrice),
    status: order.status,
    extended_hours: order.extendedHours,
    legs: legs === null ? null : legs.map((leg) => toWireOrder(leg, null)),
    trail_percent: null,
    trail_price: null,
    hwm: null,
    subtag: null,
    source: null,
  };
}
