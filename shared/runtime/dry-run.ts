import type {
  Account,
  Broker,
  BrokerPosition,
  LiveEquity,
  Order,
  OrderRequest,
  Untradable,
} from '../ports/index.js';

/**
 * A broker that reads from the real one and sends nothing: each order it is given is answered
 * as open and kept (a later step that looks it up finds it), so a dry run goes through every
 * step on a scratch copy of the state and its journal shows what a real run would have sent. A
 * cancel is answered with the order as it stands.
 */
export class DryRunBroker implements Broker {
  readonly #broker: Broker;
  readonly #withheld = new Map<string, Order>();

  constructor(broker: Broker) {
    this.#broker = broker;
  }

  getAccount(): Promise<Account> {
    return this.#broker.getAccount();
  }

  getLiveEquity(): Promise<LiveEquity> {
    return this.#broker.getLiveEquity();
  }

  untradable(symbols: readonly string[]): Promise<readonly Untradable[]> {
    return this.#broker.untradable(symbols);
  }

  getPositions(): Promise<readonly BrokerPosition[]> {
    return this.#broker.getPositions();
  }

  async getOrder(clientOrderId: string): Promise<Order | undefined> {
    return this.#withheld.get(clientOrderId) ?? this.#broker.getOrder(clientOrderId);
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    const order: Order = {
      ...request,
      status: 'open',
      submittedAt: new Date().toISOString(),
      filledQty: 0,
      filledAvgPrice: null,
      filledDate: null,
      commission: 0,
      rejectReason: null,
    };
    this.#withheld.set(request.clientOrderId, order);
    return order;
  }

  cancelOrder(clientOrderId: string): Promise<Order | undefined> {
    return this.getOrder(clientOrderId);
  }
}
