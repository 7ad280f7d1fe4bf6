import {
  type Alpaca,
  ApiError,
  NotFoundError,
  type trading,
} from '@alpacahq/alpaca-trade-api/rest';
import { BrokerUnavailableError, TradingError } from '../../domain/errors.js';
import { entryOfStop, parseClientOrderId } from '../../domain/orders/client-order-id.js';
import { isWorking } from '../../domain/orders/order-status.js';
import { newYorkDateOf } from '../../domain/time.js';
import type {
  Account,
  Broker,
  BrokerPosition,
  LiveEquity,
  Order,
  OrderRequest,
  OrderStatus,
  Untradable,
} from '../../ports/index.js';
import { mapRead, readError } from './errors.js';

/** Options of the Alpaca broker. */
export interface AlpacaBrokerOptions {
  /**
   * Each held symbol's official close of the last session, for equity at the close: Alpaca's own
   * `equity` is a live mark that after-hours trades move (fetch-data runs after the close)
   */
  readonly lastCloses: () => Promise<ReadonlyMap<string, number>>;
  /** How long a cancel may stay pending before the call gives up (Alpaca cancels asynchronously) */
  readonly cancelTimeoutMs?: number;
  readonly pollMs?: number;
}

// Alpaca's statuses by what they mean to the books. Working: it may still fill, and a cancel
// would be taken. `pending_cancel` is its own status to the books: still able to fill, no longer
// protecting, not to be cancelled again. Expired: its time ran out. Canceled: by a cancel, or
// `replaced` by an order of someone else's making that the books do not know. `done_for_day` is
// open: Alpaca means an order done for the session that takes no updates until the next, when a
// good-till-cancelled one works again (an entry left so is cancelled by the next run, as any other).
// `calculated` is done for the day with its settlement pending: filled once every share is (a
// cancel of it would be refused), open while some are not
const OPEN = new Set([
  'done_for_day',
  'new',
  'accepted',
  'pending_new',
  'accepted_for_bidding',
  'partially_filled',
  'held',
  'pending_replace',
  'stopped',
  'suspended',
]);
const EXPIRED = new Set(['expired']);
const CANCELED = new Set(['canceled', 'replaced']);

/**
 * The Broker port on Alpaca's trading API. An entry goes out as a one-triggers-other order whose
 * stop-loss leg Alpaca holds from the fill on, with the entry's time in force (one for both: the
 * request's, which the steps make `gtc` for an entry with a stop). Alpaca names the leg itself; its
 * stop is found through the entry. Submits are never retried here: a refusal (buying power, a wash
 * trade, an unknown symbol) is a `rejected` order with Alpaca's reason, an unknown outcome throws
 * BrokerUnavailableError and the caller looks the id up (submitOnce).
 */
export class AlpacaBroker implements Broker {
  readonly #client: Alpaca;
  readonly #options: AlpacaBrokerOptions;

  constructor(client: Alpaca, options: AlpacaBrokerOptions) {
    this.#client = client;
    this.#options = options;
  }

  async getAccount(): Promise<Account> {
    const [account, positions, closes] = await Promise.all([
      this.#read('GET /v2/account', () => this.#client.trading.account.getAccount()),
      this.#positions(),
      this.#options.lastCloses(),
    ]);
    const cash = money(account.cash, 'account cash');
    let held = 0;
    for (const { symbol, qty, lastdayPrice } of positions) {
      // Without today's bar (a halt), the close before it: what the indicators carried forward
      const close = closes.get(symbol) ?? lastdayPrice;
      if (close === undefined) {
        throw new TradingError(`no close of ${symbol} to value the position of ${qty} at`);
      }
      held += qty * close;
    }
    return { cash, equity: cash + held };
  }

  /** One `GET /v2/assets/{symbol}` a symbol: the whole list is ~12,000 assets, megabytes a run. */
  async untradable(symbols: readonly string[]): Promise<readonly Untradable[]> {
    const found = await Promise.all(
      symbols.map(async (symbol): Promise<Untradable | undefined> => {
        try {
          const asset = await this.#client.trading.assets.getV2AssetsSymbolOrAssetId({
            symbolOrAssetId: symbol,
          });
          if (asset.status !== 'active')
            return { symbol, reason: `Alpaca lists it ${asset.status}` };
          if (!asset.tradable) return { symbol, reason: 'Alpaca lists it not tradable' };
          return undefined;
        } catch (error) {
          if (error instanceof NotFoundError) return { symbol, reason: 'Alpaca has no such asset' };
          throw readError(`GET /v2/assets/${symbol}`, error, BrokerUnavailableError);
        }
      }),
    );
    return found.filter((entry) => entry !== undefined);
  }

  async getLiveEquity(): Promise<LiveEquity> {
    const account = await this.#read('GET /v2/account', () =>
      this.#client.trading.account.getAccount(),
    );
    // Number('') is 0: a blank equity must fail as a missing one, never read as a 100 % loss
    const blank = (value: string | undefined) => value == null || value.trim() === '';
    const { equity, lastEquity } = account;
    return {
      equity: money(blank(equity) ? undefined : equity, 'account equity'),
      lastCloseEquity: blank(lastEquity) ? null : money(lastEquity, 'account last_equity'),
    };
  }

  async getPositions(): Promise<readonly BrokerPosition[]> {
    return (await this.#positions()).map(({ symbol, qty }) => ({ symbol, qty }));
  }

  async getOrder(clientOrderId: string): Promise<Order | undefined> {
    const found = await this.#byClientId(clientOrderId);
    if (found) return toOrder(found, clientOrderId);
    const entryId = entryOfStop(clientOrderId);
    if (entryId === undefined) return undefined;
    const leg = stopLeg(await this.#byClientId(entryId));
    return leg && toOrder(leg, clientOrderId);
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    const common = {
      symbol: request.symbol,
      qty: request.qty,
      side: request.side,
      clientOrderId: request.clientOrderId,
      timeInForce: request.timeInForce,
    } as const;
    try {
      const placed = request.stopLoss
        ? await this.#client.trading.orders.oto({
            ...common,
            stopLoss: { stopPrice: request.stopLoss.stopPrice },
          })
        : request.type === 'stop'
          ? await this.#client.trading.orders.stop({ ...common, stopPrice: request.stopPrice! })
          : await this.#client.trading.orders.market(common);
      return toOrder(placed, request.clientOrderId);
    } catch (error) {
      return this.#refusal(request, error);
    }
  }

  async cancelOrder(clientOrderId: string): Promise<Order | undefined> {
    const order = await this.getOrder(clientOrderId);
    if (order === undefined || !isWorking(order)) return order;
    // A cancel already in flight (an earlier attempt's, or one made at Alpaca) is only waited on
    if (order.status === 'open') {
      const venueId = await this.#venueId(clientOrderId);
      try {
        await this.#client.trading.orders.deleteOrderByOrderID({ orderId: venueId });
      } catch (error) {
        // 422: no longer cancelable (it ended, or a cancel is pending): what it becomes is the answer
        if (!(error instanceof ApiError && error.status === 422)) {
          throw readError('DELETE /v2/orders/{id}', error, BrokerUnavailableError);
        }
      }
    }
    // Alpaca answers 204 and cancels later: the shares are held until it has
    const deadline = Date.now() + (this.#options.cancelTimeoutMs ?? 10_000);
    for (;;) {
      const now = await this.getOrder(clientOrderId);
      if (now === undefined || !isWorking(now)) return now;
      if (Date.now() > deadline) {
        throw new BrokerUnavailableError(
          `Alpaca has not cancelled ${clientOrderId} within ${this.#options.cancelTimeoutMs ?? 10_000} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.#options.pollMs ?? 200));
    }
  }

  // A 403 (buying power, wash trade) or 422 (unknown symbol, sub-penny) stores no order at Alpaca:
  // it is the venue's answer, not a failure. A duplicate id means it was sent before: look it up
  async #refusal(request: OrderRequest, error: unknown): Promise<Order> {
    if (error instanceof ApiError && (error.status === 403 || error.status === 422)) {
      if (/client_order_id must be unique/i.test(error.message)) {
        const existing = await this.getOrder(request.clientOrderId);
        if (existing) return existing;
      }
      return {
        ...request,
        status: 'rejected',
        submittedAt: new Date().toISOString(),
        filledQty: 0,
        filledAvgPrice: null,
        filledDate: null,
        commission: 0,
        // Alpaca's own words (a wash trade, buying power, an unknown symbol): the report quotes them
        rejectReason: `${error.status} ${error.message}`,
      };
    }
    // A timeout, a dropped connection or a 5xx after the POST went out: the order may exist
    throw readError('POST /v2/orders', error, BrokerUnavailableError);
  }

  async #positions(): Promise<(BrokerPosition & { lastdayPrice: number | undefined })[]> {
    const positions = await this.#read('GET /v2/positions', () =>
      this.#client.trading.positions.getAllOpenPositions(),
    );
    return positions.map((p) => {
      const lastday = Number(p.lastdayPrice);
      return {
        symbol: p.symbol!,
        qty: money(p.qty, `${p.symbol} qty`),
        lastdayPrice: Number.isFinite(lastday) && lastday > 0 ? lastday : undefined,
      };
    });
  }

  async #byClientId(clientOrderId: string): Promise<trading.Order | undefined> {
    try {
      return await this.#client.trading.orders.getOrderByClientOrderId({ clientOrderId });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw readError('GET /v2/orders:by_client_order_id', error, BrokerUnavailableError);
    }
  }

  async #venueId(clientOrderId: string): Promise<string> {
    const found =
      (await this.#byClientId(clientOrderId)) ??
      stopLeg(await this.#byClientId(entryOfStop(clientOrderId) ?? clientOrderId));
    if (found?.id === undefined) throw new TradingError(`Alpaca has no order ${clientOrderId}`);
    return found.id;
  }

  #read<T>(call: string, read: () => Promise<T>): Promise<T> {
    return mapRead(call, BrokerUnavailableError, read);
  }
}

/** An order or one of its legs: the fields the books read are common to both. */
type VenueOrder = trading.Order | trading.OrderLeg;

const stopLeg = (entry: trading.Order | undefined): VenueOrder | undefined =>
  entry?.legs?.find((leg) => leg.side === 'sell' && leg.type === 'stop');

function money(value: unknown, what: string): number {
  const number = Number(value);
  if (value === null || value === undefined || !Number.isFinite(number)) {
    throw new TradingError(`Alpaca answered ${what} = ${String(value)}, not a number`);
  }
  return number;
}

function statusOf(order: VenueOrder): OrderStatus {
  const status = String(order.status);
  if (status === 'filled' || status === 'rejected' || status === 'pending_cancel') return status;
  if (status === 'calculated') {
    return Number(order.filledQty ?? 0) >= Number(order.qty) ? 'filled' : 'open';
  }
  if (EXPIRED.has(status)) return 'expired';
  if (CANCELED.has(status)) return 'canceled';
  if (OPEN.has(status)) return 'open';
  throw new TradingError(`Alpaca order ${order.clientOrderId} has an unknown status ${status}`);
}

/** An Alpaca order under the client id the books know it by (a leg's own id is Alpaca's). */
function toOrder(order: VenueOrder, clientOrderId: string): Order {
  const parts = parseClientOrderId(clientOrderId);
  const filledQty = Number(order.filledQty ?? 0);
  const filledAt = order.filledAt ? new Date(order.filledAt) : null;
  return {
    clientOrderId,
    symbol: order.symbol!,
    side: order.side === 'sell' ? 'sell' : 'buy',
    qty: money(order.qty, `${clientOrderId} qty`),
    type: order.type === 'stop' ? 'stop' : 'market',
    ...(order.stopPrice != null && { stopPrice: Number(order.stopPrice) }),
    intent: parts?.intent ?? (order.side === 'sell' ? 'exit' : 'entry'),
    // The bot sends day and gtc only; Alpaca's others (opg, cls, ioc, fok) end within a session
    timeInForce: String(order.timeInForce) === 'gtc' ? 'gtc' : 'day',
    status: statusOf(order),
    submittedAt: new Date(order.submittedAt ?? order.createdAt ?? 0).toISOString(),
    filledQty,
    filledAvgPrice: filledQty > 0 ? money(order.filledAvgPrice, `${clientOrderId} price`) : null,
    filledDate: filledAt && filledQty > 0 ? newYorkDateOf(filledAt) : null,
    // US equities carry no commission at Alpaca
    commission: 0,
    rejectReason: String(order.status) === 'rejected' ? 'rejected by Alpaca' : null,
  };
}
