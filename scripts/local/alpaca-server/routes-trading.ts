import { FIRST_DATE, LAST_DATE } from '../../../shared/domain/calendar/nyse.js';
import { calendarV3, clockV3, legacyCalendar, legacyClock } from './calendar.js';
import { invalidParameter, notFound } from './errors.js';
import { OPEN_STATUSES, type ServerOrder } from './orders.js';
import {
  dateParam,
  instantParam,
  intParam,
  listParam,
  ok,
  type Reply,
  type Route,
  type RouteContext,
  route,
} from './router.js';
import type { Venue } from './venue.js';
import { UUID_PATTERN } from './wire.js';

/** Alpaca's trading API (paper-api.alpaca.markets) as far as a daily bot uses it. */
export const tradingRoutes: readonly Route[] = [
  route('GET', /^\/v2\/account$/, ({ venue }) => ok(venue.account())),
  route('GET', /^\/v2\/positions$/, ({ venue }) => ok(venue.positions())),
  route('GET', /^\/v2\/positions\/([^/]+)$/, ({ venue, params }) => {
    const position = venue.position(venue.assets.resolve(params[0]!) ?? params[0]!);
    if (!position) throw notFound('position does not exist');
    return ok(position);
  }),
  route('POST', /^\/v2\/orders$/, ({ venue, body }) =>
    ok(venue.wireOrder(venue.submit(body), true)),
  ),
  route('GET', /^\/v2\/orders$/, listOrders),
  route('GET', /^\/v2\/orders:by_client_order_id$/, ({ venue, query }) => {
    const clientOrderId = query.get('client_order_id');
    if (!clientOrderId) throw invalidParameter('client_order_id is required');
    const order = venue.book.byClientOrderId(clientOrderId);
    if (!order) throw notFound('order not found');
    return ok(venue.wireOrder(order, true));
  }),
  route('GET', /^\/v2\/orders\/([^/]+)$/, ({ venue, params }) =>
    ok(venue.wireOrder(orderById(venue, params[0]!), true)),
  ),
  route('DELETE', /^\/v2\/orders\/([^/]+)$/, ({ venue, params }) => {
    venue.cancel(orderById(venue, params[0]!));
    return { status: 204 };
  }),
  route('GET', /^\/v2\/clock$/, ({ venue }) => ok(legacyClock(venue.now))),
  route('GET', /^\/v3\/clock$/, ({ venue, query }) => {
    const markets = listParam(query, 'markets');
    const clock = clockV3(instantParam(query, 'time') ?? venue.now);
    return ok(markets.length === 0 || markets.includes('NYSE') ? clock : { clocks: [] });
  }),
  route('GET', /^\/v2\/calendar$/, (ctx) =>
    ok(legacyCalendar(...calendarRange(ctx), ctx.venue.options.closures)),
  ),
  route('GET', /^\/v3\/calendar\/([^/]+)$/, (ctx) => {
    if (ctx.params[0] !== 'NYSE') throw notFound(`unknown market ${ctx.params[0]}`);
    return ok(calendarV3(...calendarRange(ctx), ctx.venue.options.closures));
  }),
  route('GET', /^\/v2\/assets$/, ({ venue, query }) => {
    const status = query.get('status');
    const symbols = venue.assets
      .symbols()
      .filter((s) => !status || venue.assets.get(s)!.status === status);
    return ok(symbols.map((symbol) => venue.assets.wire(symbol)));
  }),
  route('GET', /^\/v2\/assets\/([^/]+)$/, ({ venue, params }) => {
    const symbol = venue.assets.resolve(params[0]!);
    if (!symbol) throw notFound('asset not found');
    return ok(venue.assets.wire(symbol));
  }),
];

// GET /v2/orders: open orders by default, newest first, 50 at most; legs nested only when asked
function listOrders({ venue, query }: RouteContext): Reply {
  const status = query.get('status') ?? 'open';
  if (!['open', 'closed', 'all'].includes(status)) throw invalidParameter('invalid status');
  const limit = intParam(query, 'limit', 50, 500);
  const after = instantParam(query, 'after');
  const until = instantParam(query, 'until');
  const direction = query.get('direction') ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') throw invalidParameter('invalid direction');
  const nested = query.get('nested') === 'true';
  const symbols = listParam(query, 'symbols');
  const side = query.get('side');

  const selected = venue.book
    .all()
    .filter(
      (order) =>
        (!nested || order.parentId === null) &&
        (status === 'all' || (status === 'open') === OPEN_STATUSES.has(order.status)) &&
        (!after || order.createdAt > after) &&
        (!until || order.createdAt < until) &&
        (symbols.length === 0 || symbols.includes(order.symbol)) &&
        (!side || order.side === side),
    );
  const ordered = direction === 'asc' ? selected : selected.reverse();
  return ok(ordered.slice(0, limit).map((order) => venue.wireOrder(order, nested)));
}

// Alpaca answers 422 to an id that is not a UUID, 404 to an unknown one
function orderById(venue: Venue, id: string): ServerOrder {
  if (!UUID_PATTERN.test(id)) throw invalidParameter('invalid order id');
  const order = venue.book.get(id);
  if (!order) throw notFound('order not found');
  return order;
}

// /v2/calendar's start and end (dates, or instants whose date part is taken); the shipped range
// by default, since that is what the server has bars for
function calendarRange({ venue, query }: RouteContext): [string, string] {
  const clamp = (date: string) =>
    date < FIRST_DATE ? FIRST_DATE : date > LAST_DATE ? LAST_DATE : date;
  const start = dateParam(query, 'start') ?? venue.market.firstDate;
  const end = dateParam(query, 'end') ?? venue.market.lastDate;
  return [clamp(start), clamp(end)];
}
