import { previousSession } from '../../../shared/domain/calendar/nyse.js';
import { accountWire, equity, positionWire } from './account.js';
import type { Assets } from './assets.js';
import { Book } from './book.js';
import { sessionTimes } from './calendar.js';
import { unprocessable } from './errors.js';
import type { Faults } from './faults.js';
import type { Market } from './market.js';
import type { NewsArticle } from './news-fixture.js';
import { OPEN_STATUSES, type ServerOrder, toWireOrder } from './orders.js';
import { Sessions } from './session.js';
import { submitOrder } from './submit.js';
import { newYorkDate } from './wire.js';

export interface VenueOptions {
  readonly cash: number;
  readonly start: Date;
  /** How long a cancel stays `pending_cancel`: real milliseconds, or until the next open or close */
  readonly cancelDelayMs: number | 'next-event';
  readonly washTradeStatus: 403 | 422;
  /** Alpaca prices a market buy above the last price when it checks buying power */
  readonly marketBuyBuffer: number;
  readonly gtcExpiryDays: number;
  readonly news: readonly NewsArticle[];
  /** What an OTO leg covers when its entry ends after a partial fill */
  readonly legQtyOnPartialFill?: 'filled' | 'ordered';
  /** Weekdays the calendar leaves out although the NYSE rules open them (unscheduled closures) */
  readonly closures: readonly string[];
}

/** The simulated account and its market: what the routes read and change, and the test drives. */
export class Venue {
  readonly book: Book;
  readonly market: Market;
  readonly assets: Assets;
  readonly faults: Faults;
  readonly options: VenueOptions;
  readonly #sessions: Sessions;
  #now: Date;

  constructor(market: Market, assets: Assets, faults: Faults, options: VenueOptions) {
    this.market = market;
    this.assets = assets;
    this.faults = faults;
    this.options = options;
    this.book = new Book(options.cash, options.legQtyOnPartialFill);
    this.#sessions = new Sessions(this.book, market, faults, options.gtcExpiryDays);
    this.#now = options.start;
    this.#snapshotLastClose();
  }

  /** The server's clock: it moves only when the test moves it. */
  get now(): Date {
    return this.#now;
  }

  /** Moves the clock forward, running every session open and close on the way. */
  advanceTo(target: Date): void {
    if (target < this.#now) {
      throw new Error(
        `the Alpaca test server's clock only moves forward (${this.#now.toISOString()} -> ${target.toISOString()})`,
      );
    }
    this.settle();
    this.#sessions.advance(this.#now, target);
    this.#now = target;
  }

  /** Completes the cancels whose real-time delay has passed. */
  settle(): void {
    this.book.settleCancels(this.#now, Date.now(), false);
  }

  submit(body: unknown): ServerOrder {
    return submitOrder(body, {
      book: this.book,
      market: this.market,
      assets: this.assets,
      faults: this.faults,
      sessions: this.#sessions,
      now: this.#now,
      washTradeStatus: this.options.washTradeStatus,
      marketBuyBuffer: this.options.marketBuyBuffer,
    });
  }

  /** `DELETE /v2/orders/{id}`: accepted (204 follows) and completed later, as at Alpaca. */
  cancel(order: ServerOrder): void {
    if (!OPEN_STATUSES.has(order.status) || order.status === 'pending_cancel') {
      throw unprocessable(`order is already in "${order.status}" state`);
    }
    const delay = this.options.cancelDelayMs;
    if (delay === 0) this.book.finish(order, 'canceled', this.#now);
    else
      this.book.requestCancel(
        order,
        delay === 'next-event' ? delay : Date.now() + delay,
        this.#now,
      );
  }

  /** Ends an open order as expired now (a GTC order reaching Alpaca's age limit, say). */
  expire(order: ServerOrder): void {
    if (OPEN_STATUSES.has(order.status)) this.book.finish(order, 'expired', this.#now);
  }

  /** An order by Alpaca id or client order id. */
  find(ref: string): ServerOrder | undefined {
    return this.book.get(ref) ?? this.book.byClientOrderId(ref);
  }

  wireOrder(order: ServerOrder, nested: boolean): Record<string, unknown> {
    return toWireOrder(order, nested && order.legIds.length > 0 ? this.book.legs(order) : null);
  }

  account() {
    return accountWire(this.book, this.market, this.#now, this.options.marketBuyBuffer);
  }

  positions() {
    return [...this.book.positions.keys()]
      .sort()
      .map((symbol) => positionWire(this.book, this.market, this.#now, symbol));
  }

  position(symbol: string) {
    return this.book.positions.has(symbol)
      ? positionWire(this.book, this.market, this.#now, symbol)
      : undefined;
  }

  /** Puts a position in place as if bought before the last close (a manual trade); 0 removes it. */
  setPosition(symbol: string, qty: number, averagePrice: number): void {
    if (qty === 0) this.book.positions.delete(symbol);
    else this.book.positions.set(symbol, { qty, cost: qty * averagePrice });
    this.#snapshotLastClose();
  }

  // The account as it stood at the last close, for `last_equity` before the server passes one
  #snapshotLastClose(): void {
    const today = newYorkDate(this.#now);
    const times = sessionTimes(today);
    const last = times && this.#now >= times.close ? today : previousSession(today);
    this.book.closeEquity.set(last, equity(this.book, this.market, sessionTimes(last)!.close));
  }
}
