import * as z from 'zod';
import { buyingPower, reservePrice } from './account.js';
import type { Assets } from './assets.js';
import type { Book, OrderSpec } from './book.js';
import { sessionTimes } from './calendar.js';
import { AlpacaHttpError, forbidden, invalidParameter, unprocessable } from './errors.js';
import type { Faults } from './faults.js';
import type { Market } from './market.js';
import { OPEN_STATUSES, type OrderSide, type ServerOrder } from './orders.js';
import type { Sessions } from './session.js';
import { decimal, newYorkDate, stableUuid } from './wire.js';

// The SDK sends amounts as decimal strings; plain JSON numbers are accepted too
const Amount = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

const OrderBodySchema = z.object({
  symbol: z.string().nullish(),
  qty: Amount.nullish(),
  notional: Amount.nullish(),
  side: z.string().nullish(),
  type: z.string().nullish(),
  time_in_force: z.string().nullish(),
  limit_price: Amount.nullish(),
  stop_price: Amount.nullish(),
  trail_price: Amount.nullish(),
  trail_percent: Amount.nullish(),
  client_order_id: z.string().nullish(),
  extended_hours: z.boolean().nullish(),
  order_class: z.string().nullish(),
  take_profit: z.object({ limit_price: Amount.nullish() }).nullish(),
  stop_loss: z.object({ stop_price: Amount.nullish(), limit_price: Amount.nullish() }).nullish(),
  position_intent: z.string().nullish(),
});
type OrderBody = z.infer<typeof OrderBodySchema>;

export interface SubmitContext {
  readonly book: Book;
  readonly market: Market;
  readonly assets: Assets;
  readonly faults: Faults;
  readonly sessions: Sessions;
  readonly now: Date;
  readonly washTradeStatus: 403 | 422;
  readonly marketBuyBuffer: number;
}

/** `POST /v2/orders`: Alpaca's checks in its order; a refused order stores nothing. */
export function submitOrder(input: unknown, ctx: SubmitContext): ServerOrder {
  const parsed = OrderBodySchema.safeParse(input);
  if (!parsed.success) {
    throw invalidParameter(`invalid ${parsed.error.issues[0]?.path.join('.') || 'request body'}`);
  }
  const body = parsed.data;
  const spec = orderSpec(body, ctx);
  const stopLoss = legSpec(body, spec, ctx);
  checkRules(spec, ctx);

  const { book, now } = ctx;
  const times = sessionTimes(newYorkDate(now));
  const open = times !== null && now >= times.open && now < times.close;
  const order = book.create(spec, now, open ? 'new' : 'accepted', null);
  if (stopLoss) book.create(stopLoss, now, 'held', order.id);
  ctx.sessions.onArrival(order, now);
  return order;
}

function orderSpec(body: OrderBody, ctx: SubmitContext): OrderSpec {
  const symbol = required(body.symbol, 'symbol');
  const side = oneOf(body.side, 'side', ['buy', 'sell'], []);
  const type = oneOf(
    body.type,
    'type',
    ['market', 'limit', 'stop'],
    ['stop_limit', 'trailing_stop'],
  );
  const timeInForce = oneOf(
    body.time_in_force,
    'time_in_force',
    ['day', 'gtc'],
    ['opg', 'cls', 'ioc', 'fok'],
  );
  const orderClass = oneOf(
    body.order_class || 'simple',
    'order_class',
    ['simple', 'oto'],
    ['bracket', 'oco', 'mleg'],
  );
  if (body.notional != null) throw unsupported('notional orders');
  if (body.trail_price != null || body.trail_percent != null) throw unsupported('trailing stops');
  if (body.extended_hours) throw unsupported('extended-hours orders');

  const qty = required(body.qty, 'qty');
  if (!(qty > 0)) throw invalidParameter('qty must be > 0');
  if (!Number.isInteger(qty)) throw unsupported('fractional quantities');
  const limitPrice = type === 'limit' ? price(body.limit_price, 'limit_price') : null;
  const stopPrice = type === 'stop' ? price(body.stop_price, 'stop_price') : null;

  const clientOrderId = body.client_order_id || stableUuid(`client:${ctx.book.all().length}`);
  if (clientOrderId.length > 128) {
    throw invalidParameter('client_order_id must be no more than 128 characters');
  }
  if (ctx.book.byClientOrderId(clientOrderId)) {
    throw invalidParameter('client_order_id must be unique');
  }
  return {
    clientOrderId,
    symbol,
    side,
    type,
    timeInForce,
    orderClass: orderClass === 'simple' ? '' : orderClass,
    qty,
    limitPrice,
    stopPrice,
    positionIntent: body.position_intent ?? null,
    extendedHours: false,
  };
}

// The stop-loss leg of a one-triggers-other entry: Alpaca gives it its own ids and the entry's
// time in force (a `day` entry's stop expires at the close of the day it fills)
function legSpec(body: OrderBody, entry: OrderSpec, ctx: SubmitContext): OrderSpec | null {
  if (entry.orderClass !== 'oto') {
    if (body.stop_loss || body.take_profit) {
      throw unprocessable('take_profit and stop_loss need order_class oto');
    }
    return null;
  }
  if (body.take_profit) throw unsupported('take-profit legs');
  if (!body.stop_loss) throw unprocessable('oto orders require take_profit or stop_loss');
  if (body.stop_loss.limit_price != null) throw unsupported('stop-limit legs');
  const stopPrice = price(body.stop_loss.stop_price, 'stop_loss.stop_price');
  const base = entry.limitPrice ?? entry.stopPrice ?? ctx.market.priceAt(entry.symbol, ctx.now);
  if (base !== undefined) {
    const below = entry.side === 'buy';
    if (below ? stopPrice > base - 0.01 : stopPrice < base + 0.01) {
      const bound = below ? `<= base_price - 0.01` : `>= base_price + 0.01`;
      throw unprocessable(`stop_loss.stop_price must be ${bound} (base_price ${decimal(base)})`);
    }
  }
  return {
    ...entry,
    clientOrderId: stableUuid(`leg:${entry.clientOrderId}`),
    side: entry.side === 'buy' ? 'sell' : 'buy',
    type: 'stop',
    limitPrice: null,
    stopPrice,
    positionIntent: null,
  };
}

function checkRules(spec: OrderSpec, ctx: SubmitContext): void {
  const { book, market, now } = ctx;
  const asset = ctx.assets.get(spec.symbol);
  if (!asset) throw invalidParameter(`could not find asset "${spec.symbol}"`);
  if (asset.status !== 'active') throw unprocessable(`asset ${spec.symbol} is not active`);
  if (!asset.tradable) throw unprocessable(`asset ${spec.symbol} is not tradable`);
  const rejection = ctx.faults.rejection(spec.symbol, 'submit');
  if (rejection) {
    throw new AlpacaHttpError(
      rejection.status,
      rejection.status * 100_000 + 10_000,
      rejection.message,
    );
  }

  const opposite: OrderSide = spec.side === 'buy' ? 'sell' : 'buy';
  const crossing = book
    .all()
    .some((o) => o.symbol === spec.symbol && o.side === opposite && OPEN_STATUSES.has(o.status));
  if (crossing) {
    const code = ctx.washTradeStatus === 403 ? 40310000 : 42210000;
    throw new AlpacaHttpError(
      ctx.washTradeStatus,
      code,
      'potential wash trade detected. use complex orders',
    );
  }

  if (spec.side === 'sell') {
    const existing = book.positions.get(spec.symbol)?.qty ?? 0;
    const held = book.heldForSells(spec.symbol);
    const available = Math.max(0, existing - held);
    if (spec.qty > available) {
      throw forbidden(
        `insufficient qty available for order (requested: ${spec.qty}, available: ${available})`,
        {
          symbol: spec.symbol,
          existing_qty: decimal(existing),
          held_for_orders: decimal(held),
          available: decimal(available),
        },
      );
    }
    return;
  }
  const cost = spec.qty * reservePrice(spec, market, now, ctx.marketBuyBuffer);
  const power = buyingPower(book, market, now, ctx.marketBuyBuffer);
  if (cost > power) {
    throw forbidden('insufficient buying power', {
      buying_power: decimal(power),
      cost_basis: decimal(cost),
    });
  }
}

function required<T>(value: T | null | undefined, name: string): T {
  if (value === null || value === undefined || value === '') {
    throw invalidParameter(`${name} is required`);
  }
  return value;
}

function oneOf<T extends string>(
  value: string | null | undefined,
  name: string,
  supported: readonly T[],
  known: readonly string[],
): T {
  const given = required(value, name);
  if ((supported as readonly string[]).includes(given)) return given as T;
  if (known.includes(given)) throw unsupported(`${name} ${given}`);
  throw invalidParameter(`invalid ${name}`);
}

// Prices in whole cents at $1 and above, 1/100 cent below, as Alpaca requires
function price(value: number | null | undefined, name: string): number {
  const given = required(value, name);
  if (!(given > 0)) throw invalidParameter(`${name} must be > 0`);
  const steps = given * (given >= 1 ? 100 : 10_000);
  if (Math.abs(steps - Math.round(steps)) > 1e-6) {
    throw unprocessable(
      `invalid ${name} ${given}. sub-penny increment does not fulfill minimum pricing criteria`,
    );
  }
  return given;
}

const unsupported = (what: string) =>
  unprocessable(`${what}: not supported by the Alpaca test server`);
