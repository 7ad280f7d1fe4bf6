import { InvalidInputError } from '../../domain/errors.js';
import type { DayBars } from '../../domain/market/history.js';
import type { CostModel } from '../../domain/orders/fill-model.js';
import {
  commissionFor,
  marketFillPrice,
  sellStopFillPrice,
} from '../../domain/orders/fill-model.js';
import type { Account, Broker, BrokerPosition, Order, OrderRequest } from '../../ports/index.js';

/**
 * A venue that fills like the live one does for a bot that trades after the close: market orders
 * wait for the next session's open, stops trigger on the bar's low. The backtest and the local daily
 * run both use it, so both share one fill model.
 */
export class SimulatedBroker implements Broker {
  readonly #costs: CostModel;
  readonly #symbols: readonly string[];
  readonly #index = new Map<string, number>();
  readonly #marks: Float64Array;
  readonly #positions: Float64Array;
  readonly #orders = new Map<string, Order>();
  /** Market orders waiting for the next open, in submission order */
  #queued: string[] = [];
  /** Live stop orders (children of filled entries) */
  #stops: string[] = [];
  #cash: number;
  #sessionDate = '';

  constructor(symbols: readonly string[], initialCash: number, costs: CostModel) {
    this.#symbols = [...symbols];
    for (const [s, symbol] of symbols.entries()) this.#index.set(symbol, s);
    this.#marks = new Float64Array(symbols.length);
    this.#positions = new Float64Array(symbols.length);
    this.#cash = initialCash;
    this.#costs = costs;
  }

  /** Opens a session: fills queued market orders at the open (sells first), then runs the stops against the bar. */
  openSession(day: DayBars): void {
    this.#sessionDate = day.date;
    const queued = this.#queued.map((id) => this.#orders.get(id)!);
    this.#queued = [];
    // Sells first: the cash they free is there before the buys, as at a real open auction
    for (const order of queued) if (order.side === 'sell') this.#fillMarket(order, day);
    for (const order of queued) if (order.side === 'buy') this.#fillMarket(order, day);

    const stillLive: string[] = [];
    for (const id of this.#stops) {
      const stop = this.#orders.get(id)!;
      if (stop.status !== 'accepted') continue;
      const s = this.#symbolIndex(stop.symbol);
      const price = sellStopFillPrice(stop.stopPrice!, day.open[s]!, day.low[s]!, this.#costs);
      if (price === null) stillLive.push(id);
      else this.#fill(stop, price);
    }
    this.#stops = stillLive;
    this.markToClose(day);
  }

  /** Marks positions at the day's closes, as the account reads after the close. */
  markToClose(day: DayBars): void {
    this.#marks.set(day.close);
  }

  // The queries cannot fail, so they hand back settled promises instead of running as async
  // functions: the pipeline asks them several times a day, and each async call leaves garbage

  getAccount(): Promise<Account> {
    let value = 0;
    for (let s = 0; s < this.#positions.length; s++) value += this.#positions[s]! * this.#marks[s]!;
    return Promise.resolve({ cash: this.#cash, equity: this.#cash + value });
  }

  getPositions(): Promise<readonly BrokerPosition[]> {
    const positions: BrokerPosition[] = [];
    for (let s = 0; s < this.#positions.length; s++) {
      const qty = this.#positions[s]!;
      if (qty !== 0) positions.push({ symbol: this.#symbols[s]!, qty });
    }
    return Promise.resolve(positions);
  }

  getOrder(clientOrderId: string): Promise<Order | undefined> {
    return Promise.resolve(this.#orders.get(clientOrderId));
  }

  /** Every order ever submitted, in submission order (stops after their entries). */
  allOrders(): readonly Order[] {
    return [...this.#orders.values()];
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    const existing = this.#orders.get(request.clientOrderId);
    if (existing) return existing; // idempotent, like a venue that enforces unique client ids
    this.#symbolIndex(request.symbol);
    if (!(Number.isInteger(request.qty) && request.qty > 0)) {
      throw new InvalidInputError(
        `order ${request.clientOrderId}: qty must be a positive integer, got ${request.qty}`,
      );
    }
    if (request.type !== 'market') {
      throw new InvalidInputError(
        `order ${request.clientOrderId}: only market orders (with an attached stop) are simulated`,
      );
    }
    const order = this.#accept(request);
    this.#queued.push(order.clientOrderId);
    return order;
  }

  async cancelOrder(clientOrderId: string): Promise<Order | undefined> {
    const order = this.#orders.get(clientOrderId);
    if (order?.status !== 'accepted') return order;
    const canceled: Order = { ...order, status: 'canceled' };
    this.#orders.set(clientOrderId, canceled);
    this.#queued = this.#queued.filter((id) => id !== clientOrderId);
    this.#stops = this.#stops.filter((id) => id !== clientOrderId);
    return canceled;
  }

  #fillMarket(order: Order, day: DayBars): void {
    if (order.status !== 'accepted') return;
    const s = this.#symbolIndex(order.symbol);
    const price = marketFillPrice(order.side, day.open[s]!, this.#costs);
    if (
      order.side === 'buy' &&
      order.qty * price + commissionFor(order.qty, this.#costs) > this.#cash
    ) {
      this.#reject(order, 'insufficient cash at the open');
      return;
    }
    if (order.side === 'sell' && order.qty > this.#positions[s]!) {
      this.#reject(order, `sell ${order.qty} exceeds the position ${this.#positions[s]}`);
      return;
    }
    this.#fill(order, price);
    if (order.stopLoss) {
      const stop = this.#accept({
        clientOrderId: order.stopLoss.clientOrderId,
        symbol: order.symbol,
        side: 'sell',
        qty: order.qty,
        type: 'stop',
        stopPrice: order.stopLoss.stopPrice,
        intent: 'stop',
      });
      this.#stops.push(stop.clientOrderId);
    }
  }

  #accept(request: OrderRequest): Order {
    // Object.assign: on Node 20 a spread that adds properties costs ~1 µs an order, ten times this
    const order: Order = Object.assign({}, request, {
      status: 'accepted' as const,
      submittedAt: this.#sessionDate,
      filledQty: 0,
      filledAvgPrice: null,
      filledDate: null,
      commission: 0,
      rejectReason: null,
    });
    this.#orders.set(order.clientOrderId, order);
    return order;
  }

  #fill(order: Order, price: number): void {
    const s = this.#symbolIndex(order.symbol);
    const commission = commissionFor(order.qty, this.#costs);
    const signed = order.side === 'buy' ? order.qty : -order.qty;
    this.#positions[s] = this.#positions[s]! + signed;
    this.#cash -= signed * price + commission;
    this.#orders.set(order.clientOrderId, {
      ...order,
      status: 'filled',
      filledQty: order.qty,
      filledAvgPrice: price,
      filledDate: this.#sessionDate,
      commission,
    });
  }

  #reject(order: Order, reason: string): void {
    this.#orders.set(order.clientOrderId, { ...order, status: 'rejected', rejectReason: reason });
  }

  #symbolIndex(symbol: string): number {
    const s = this.#index.get(symbol);
    if (s === undefined) throw new InvalidInputError(`unknown symbol ${symbol}`);
    return s;
  }
}
