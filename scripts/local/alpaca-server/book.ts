import {
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type ServerOrder,
  type TimeInForce,
  WORKING_STATUSES,
} from './orders.js';
import { stableUuid } from './wire.js';

/** What a submit asks for; the book adds the ids, the status and the timestamps. */
export interface OrderSpec {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly orderClass: string;
  readonly qty: number;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly positionIntent: string | null;
  readonly extendedHours: boolean;
}

export interface Holding {
  qty: number;
  /** Σ qty × price paid for the shares held (average-cost basis) */
  cost: number;
}

/**
 * The account's ledger: orders (unique client ids, forever), cash and positions. It applies fills
 * and terminal states, and keeps an entry's legs in step with it; when things happen is the
 * sessions' business.
 */
export class Book {
  cash: number;
  readonly positions = new Map<string, Holding>();
  /** Equity at each session close the server passed, for `last_equity` */
  readonly closeEquity = new Map<string, number>();
  readonly #orders = new Map<string, ServerOrder>();
  readonly #byClientId = new Map<string, ServerOrder>();
  readonly #legQty: 'filled' | 'ordered';
  #seq = 0;

  /** `legQty`: what an entry's leg covers once the entry ends after a partial fill */
  constructor(cash: number, legQty: 'filled' | 'ordered' = 'filled') {
    this.cash = cash;
    this.#legQty = legQty;
  }

  create(spec: OrderSpec, at: Date, status: OrderStatus, parentId: string | null): ServerOrder {
    const seq = ++this.#seq;
    const order: ServerOrder = {
      ...spec,
      seq,
      id: stableUuid(`order:${seq}`),
      parentId,
      legIds: [],
      createdAt: at,
      updatedAt: at,
      status,
      filledQty: 0,
      filledValue: 0,
      filledAt: null,
      expiredAt: null,
      canceledAt: null,
      failedAt: null,
      cancelDue: null,
      rejectReason: null,
    };
    this.#orders.set(order.id, order);
    this.#byClientId.set(order.clientOrderId, order);
    if (parentId !== null) this.#orders.get(parentId)!.legIds.push(order.id);
    return order;
  }

  get(id: string): ServerOrder | undefined {
    return this.#orders.get(id);
  }

  byClientOrderId(clientOrderId: string): ServerOrder | undefined {
    return this.#byClientId.get(clientOrderId);
  }

  /** Every order ever accepted, legs included, in submission order. */
  all(): ServerOrder[] {
    return [...this.#orders.values()];
  }

  legs(order: ServerOrder): ServerOrder[] {
    return order.legIds.map((id) => this.#orders.get(id)!);
  }

  /** Orders that can fill now, in submission order. */
  working(): ServerOrder[] {
    return this.all().filter((order) => WORKING_STATUSES.has(order.status));
  }

  /** Shares of a symbol that open sell orders hold (Alpaca's `held_for_orders`). */
  heldForSells(symbol: string): number {
    let held = 0;
    for (const order of this.working()) {
      if (order.symbol === symbol && order.side === 'sell') held += order.qty - order.filledQty;
    }
    return held;
  }

  /** Applies a fill; returns the legs it activated (an entry that filled arms its stop). */
  fill(order: ServerOrder, qty: number, price: number, at: Date): ServerOrder[] {
    order.filledQty += qty;
    order.filledValue += qty * price;
    order.filledAt = at;
    order.updatedAt = at;
    this.#trade(order.symbol, order.side, qty, price);
    if (order.filledQty >= order.qty) {
      order.status = 'filled';
      return this.#settled(order, at);
    }
    if (order.status !== 'pending_cancel') order.status = 'partially_filled';
    return [];
  }

  /** Ends an order without (more) fills; returns the legs its partial fill activated. */
  finish(
    order: ServerOrder,
    status: 'canceled' | 'expired' | 'rejected',
    at: Date,
    reason: string | null = null,
  ): ServerOrder[] {
    order.status = status;
    order.updatedAt = at;
    order.cancelDue = null;
    order.rejectReason = reason;
    if (status === 'canceled') order.canceledAt = at;
    if (status === 'expired') order.expiredAt = at;
    if (status === 'rejected') order.failedAt = at;
    return this.#settled(order, at);
  }

  /** Marks a cancel requested: the order stays open, `pending_cancel`, until it completes. */
  requestCancel(order: ServerOrder, due: number | 'next-event', at: Date): void {
    order.status = 'pending_cancel';
    order.cancelDue = due;
    order.updatedAt = at;
  }

  /** Completes the cancels that are due: by real time, and at a session event the event ones. */
  settleCancels(at: Date, realNow: number, atEvent: boolean): void {
    for (const order of this.all()) {
      if (order.status !== 'pending_cancel') continue;
      const due = order.cancelDue;
      if ((due === 'next-event' && atEvent) || (typeof due === 'number' && due <= realNow)) {
        this.finish(order, 'canceled', at);
      }
    }
  }

  #trade(symbol: string, side: OrderSide, qty: number, price: number): void {
    const holding = this.positions.get(symbol) ?? { qty: 0, cost: 0 };
    if (side === 'buy') {
      this.cash -= qty * price;
      holding.qty += qty;
      holding.cost += qty * price;
    } else {
      this.cash += qty * price;
      const average = holding.qty > 0 ? holding.cost / holding.qty : price;
      holding.qty -= qty;
      holding.cost -= qty * average;
    }
    if (holding.qty === 0) this.positions.delete(symbol);
    else this.positions.set(symbol, holding);
  }

  // An entry that ended arms its held legs for what it filled (or, as a venue might, for what it
  // ordered: the bot must then resize the stop), or cancels them when nothing filled
  #settled(order: ServerOrder, at: Date): ServerOrder[] {
    const activated: ServerOrder[] = [];
    for (const leg of this.legs(order)) {
      if (leg.status !== 'held') continue;
      if (order.filledQty > 0) {
        if (this.#legQty === 'filled') leg.qty = order.filledQty;
        leg.status = 'new';
        leg.updatedAt = at;
        activated.push(leg);
      } else {
        this.finish(leg, 'canceled', at);
      }
    }
    return activated;
  }
}
