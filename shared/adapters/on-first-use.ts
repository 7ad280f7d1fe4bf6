import type { DayBars } from '../domain/market/history.js';
import type {
  Account,
  Broker,
  BrokerPosition,
  LiveEquity,
  MarketData,
  Order,
  OrderRequest,
  Untradable,
  Venue,
} from '../ports/index.js';

/**
 * Calls `open` on the first call and hands every later one the same promise. A failed open is
 * forgotten once it has rejected, so the next call (a rerun, a retried step) tries again and
 * reports its own error rather than a stale one.
 */
export function onFirstUse<T>(open: () => Promise<T>): () => Promise<T> {
  let opening: Promise<T> | undefined;
  return () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
}

/**
 * Market data opened on its first call, e.g. a local data folder: a Lambda whose step never asks
 * for bars never reads it. Errors are the opener's own (a DataValidationError names the file).
 */
export class LazyMarketData<T extends MarketData = MarketData> implements MarketData {
  readonly #open: () => Promise<T>;

  constructor(open: () => Promise<T>) {
    this.#open = onFirstUse(open);
  }

  /** The market data itself, opened now if no call has opened it yet. */
  opened(): Promise<T> {
    return this.#open();
  }

  async dayBars(date: string): Promise<DayBars> {
    return (await this.#open()).dayBars(date);
  }

  async daysBefore(date: string, minSessions: number): Promise<readonly DayBars[]> {
    return (await this.#open()).daysBefore(date, minSessions);
  }
}

/**
 * A broker and venue opened on its first call, e.g. the local simulated venue, which reads its
 * file and the market data it fills against. Errors are the opener's own (a CorruptStateError
 * names the venue file).
 */
export class LazyBroker<T extends Broker & Venue = Broker & Venue> implements Broker, Venue {
  readonly #open: () => Promise<T>;

  constructor(open: () => Promise<T>) {
    this.#open = onFirstUse(open);
  }

  /** The venue itself, opened now if no call has opened it yet: for what the ports do not carry. */
  opened(): Promise<T> {
    return this.#open();
  }

  async openSessionsThrough(tradingDate: string): Promise<void> {
    return (await this.#open()).openSessionsThrough(tradingDate);
  }

  async getAccount(): Promise<Account> {
    return (await this.#open()).getAccount();
  }

  async getLiveEquity(): Promise<LiveEquity> {
    return (await this.#open()).getLiveEquity();
  }

  async untradable(symbols: readonly string[]): Promise<readonly Untradable[]> {
    return (await this.#open()).untradable(symbols);
  }

  async getPositions(): Promise<readonly BrokerPosition[]> {
    return (await this.#open()).getPositions();
  }

  async getOrder(clientOrderId: string): Promise<Order | undefined> {
    return (await this.#open()).getOrder(clientOrderId);
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    return (await this.#open()).submitOrder(request);
  }

  async cancelOrder(clientOrderId: string): Promise<Order | undefined> {
    return (await this.#open()).cancelOrder(clientOrderId);
  }
}
