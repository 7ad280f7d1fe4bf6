import { nextSession } from '../../../shared/domain/calendar/nyse.js';
import { equity } from './account.js';
import type { Book } from './book.js';
import { sessionOnOrAfter, sessionTimes } from './calendar.js';
import type { Faults } from './faults.js';
import type { DailyBar, Market } from './market.js';
import { OPEN_STATUSES, type ServerOrder, WORKING_STATUSES } from './orders.js';
import { newYorkDate } from './wire.js';

const DAY_MS = 86_400_000;

/**
 * The market between two instants, one daily bar at a time. At a session's open, orders waiting
 * since the last close fill at the shipped open (sells first, as at the opening auction) and
 * stops gapped through fill at the open; at its close, resting stops and limits the bar traded
 * through fill (a sell stop at min(stop, open)), then day orders expire.
 */
export class Sessions {
  readonly #book: Book;
  readonly #market: Market;
  readonly #faults: Faults;
  readonly #gtcDays: number;

  constructor(book: Book, market: Market, faults: Faults, gtcDays: number) {
    this.#book = book;
    this.#market = market;
    this.#faults = faults;
    this.#gtcDays = gtcDays;
  }

  /** Runs every open and close in (from, to]. */
  advance(from: Date, to: Date): void {
    const last = newYorkDate(to);
    for (let date = sessionOnOrAfter(newYorkDate(from)); date <= last; date = nextSession(date)) {
      const times = sessionTimes(date)!;
      if (from < times.open && times.open <= to) this.#open(date, times.open);
      if (from < times.close && times.close <= to) this.#close(date, times.close);
    }
  }

  /** An order placed while the market is open trades at once if the current price (the open) allows. */
  onArrival(order: ServerOrder, now: Date): void {
    const date = newYorkDate(now);
    const times = sessionTimes(date);
    if (times && now >= times.open && now < times.close) this.#tryAtOpen(order, date, now);
  }

  #open(date: string, at: Date): void {
    this.#book.settleCancels(at, Date.now(), true);
    const working = this.#book.working();
    const sellsFirst = [
      ...working.filter((order) => order.side === 'sell'),
      ...working.filter((order) => order.side === 'buy'),
    ];
    for (const order of sellsFirst) {
      if (order.status === 'accepted') {
        order.status = 'new';
        order.updatedAt = at;
      }
      this.#tryAtOpen(order, date, at);
    }
  }

  #close(date: string, at: Date): void {
    this.#book.settleCancels(at, Date.now(), true);
    for (const order of this.#book.working()) {
      // Market orders trade at the open; one placed after this close belongs to the next session
      if (order.type === 'market' || order.createdAt >= at) continue;
      if (!WORKING_STATUSES.has(order.status)) continue;
      const price = intradayPrice(order, this.#market.bar(order.symbol, date));
      if (price !== null) this.#execute(order, price, at);
    }
    for (const order of this.#book.all()) {
      if (!OPEN_STATUSES.has(order.status) || order.status === 'held' || order.createdAt >= at) {
        continue;
      }
      const age = at.getTime() - order.createdAt.getTime();
      if (order.timeInForce === 'day' || age > this.#gtcDays * DAY_MS) {
        // A cancel requested before the close wins over the expiry
        this.#book.finish(order, order.status === 'pending_cancel' ? 'canceled' : 'expired', at);
      }
    }
    this.#book.closeEquity.set(date, equity(this.#book, this.#market, at));
  }

  #tryAtOpen(order: ServerOrder, date: string, at: Date): void {
    if (!WORKING_STATUSES.has(order.status)) return; // ended earlier in this event
    const rejection = this.#faults.rejection(order.symbol, 'fill');
    if (rejection) {
      this.#book.finish(order, 'rejected', at, rejection.message);
      return;
    }
    const price = openPrice(order, this.#market.bar(order.symbol, date).open);
    if (price === null) return;
    // A stop armed by this fill may already be through the price (an open that gapped below it)
    for (const leg of this.#execute(order, price, at)) this.#tryAtOpen(leg, date, at);
  }

  #execute(order: ServerOrder, price: number, at: Date): ServerOrder[] {
    const qty = this.#faults.fillQty(order, order.qty - order.filledQty);
    return this.#book.fill(order, qty, price, at);
  }
}

// The price an order trades at when the session opens at `open`; null when it is not marketable
function openPrice(order: ServerOrder, open: number): number | null {
  const buy = order.side === 'buy';
  if (order.type === 'market') return open;
  if (order.type === 'stop')
    return (buy ? open >= order.stopPrice! : open <= order.stopPrice!) ? open : null;
  return (buy ? open <= order.limitPrice! : open >= order.limitPrice!) ? open : null;
}

// The price a resting order traded at during a session whose bar went through its trigger
function intradayPrice(order: ServerOrder, bar: DailyBar): number | null {
  const buy = order.side === 'buy';
  const trigger = order.type === 'stop' ? order.stopPrice! : order.limitPrice!;
  const touched =
    order.type === 'stop'
      ? buy
        ? bar.high >= trigger
        : bar.low <= trigger
      : buy
        ? bar.low <= trigger
        : bar.high >= trigger;
  if (!touched) return null;
  // An order armed after the open (placed mid-session) may find the open already through its
  // trigger: it trades at the open then, the worse price for a stop and the better for a limit
  const higher = order.type === 'stop' ? buy : !buy;
  return higher ? Math.max(trigger, bar.open) : Math.min(trigger, bar.open);
}
