import { TradingError } from '../errors.js';
import type { ClosedTrade, Lot } from '../model.js';
import type { Order } from '../orders/order.js';
import { isWorking } from '../orders/order-status.js';
import { closeLot, type PendingOrder, type Portfolio, splitLot } from './portfolio.js';

/** The books and the broker disagree: a person must look before the bot trades again. */
export class ReconciliationError extends TradingError {
  override name = 'ReconciliationError';
}

/** A symbol the bot stops trading until its books and the broker agree again, and why. */
export interface Quarantine {
  readonly symbol: string;
  readonly reason: string;
}

/** A held lot whose protection must be placed again, and why its symbol is quarantined. */
export interface Reprotect {
  readonly lot: Lot;
  readonly quarantine: Quarantine;
  /**
   * The lot's stop while it still works, for other than the shares the lot holds: it must be
   * cancelled (and the cancel completed) before a stop for the right quantity can hold the shares.
   * Null when the stop has ended
   */
  readonly replaces: Order | null;
}

export interface FillsApplied {
  readonly portfolio: Portfolio;
  readonly closedTrades: ClosedTrade[];
  /** Orders that ended without a fill (rejected, canceled or expired at the venue) */
  readonly unfilled: Order[];
  /** Orders whose shares (all, or those filled before they ended) the lots now account for */
  readonly filled: Order[];
  /** Anomalies, by symbol: the orders stay pending and the lots stay held, to be looked at again */
  readonly quarantined: Quarantine[];
  /**
   * Held lots, with no exit pending, whose stop ended at the broker (filled for fewer shares,
   * cancelled, expired, rejected) or covers another quantity than the lot, each with its entry in
   * `quarantined`
   */
  readonly reprotect: Reprotect[];
}

/**
 * Brings the lots up to date with what the broker did since the last run: entries that filled
 * become lots, exits and triggered stops close theirs, each for the shares that actually traded
 * (an order may end, cancelled or expired, after a partial fill). `orders` holds the broker's
 * record of every pending order, of every pending entry's stop and of every lot's stop. An order
 * still working after a session, one the broker does not know, or a lot whose stop is gone or
 * wrongly sized is an anomaly: its symbol is quarantined, the order stays pending and the lot
 * stays held, and every other symbol goes on.
 */
export function applyFills(
  portfolio: Portfolio,
  orders: ReadonlyMap<string, Order>,
  session: number,
  /**
   * The dates of the sessions since the last run, oldest first, the last one `session`'s: after a
   * missed run an entry filled on an earlier one, and its lot's days held count from that session
   */
  opened: readonly string[] = [],
): FillsApplied {
  const sessionOf = (date: string) => {
    const at = opened.indexOf(date);
    return at < 0 ? session : session - (opened.length - 1 - at);
  };
  const closedTrades: ClosedTrade[] = [];
  const unfilled: Order[] = [];
  const filled: Order[] = [];
  const quarantined: Quarantine[] = [];
  const stillPending: PendingOrder[] = [];

  // Entries first, so that a stop which fired on the fill bar (a gap through it) closes its new lot
  let lots: Lot[] = [...portfolio.lots];
  const settled: { pending: PendingOrder; order: Order }[] = [];
  for (const pending of portfolio.pending) {
    const order = orders.get(pending.clientOrderId);
    if (order === undefined || isWorking(order)) {
      stillPending.push(pending);
      quarantined.push({
        symbol: pending.symbol,
        reason:
          order === undefined
            ? `the broker has no order ${pending.clientOrderId}`
            : order.status === 'pending_cancel'
              ? `order ${pending.clientOrderId} is being cancelled at the broker: check it there`
              : `order ${pending.clientOrderId} is still open after a session: check it at the broker`,
      });
      continue;
    }
    // An order that ended after a partial fill traded what it filled: an entry's lot holds that,
    // an exit sold that much of its lots
    const part = order.status !== 'filled' && order.filledQty > 0;
    if (order.status !== 'filled' && !part) {
      unfilled.push(order);
      continue;
    }
    filled.push(order);
    if (part) {
      quarantined.push({
        symbol: pending.symbol,
        reason:
          pending.intent === 'entry'
            ? `entry ${pending.clientOrderId} filled ${order.filledQty} of ${order.qty} and was then ${order.status}: the lot holds ${order.filledQty}`
            : `exit ${pending.clientOrderId} sold ${order.filledQty} of ${order.qty} and was then ${order.status}: the rest stays held`,
      });
    }
    if (pending.intent === 'entry') {
      lots.push({
        symbol: pending.symbol,
        strategy: pending.strategy,
        qty: order.filledQty,
        entryDate: order.filledDate!,
        entrySession: sessionOf(order.filledDate!),
        entryPrice: order.filledAvgPrice!,
        entryCommission: order.commission,
        stopPrice: pending.stopPrice,
        targetPrice: pending.targetPrice,
        entryOrderId: pending.clientOrderId,
        stopOrderId: pending.stopOrderId,
      });
    } else settled.push({ pending, order });
  }

  // Exits next: they sold at the open, before any stop of the day could trigger. The shares sold
  // close the allocations in order, the last one in part if they run out there. A pending exit
  // keeps its lots held: they are quarantined with it
  for (const { pending, order } of settled) {
    if (pending.intent !== 'exit') continue;
    let unsold = order.filledQty;
    for (const allocation of pending.allocations) {
      const lot = lots.find(
        (l) => l.symbol === pending.symbol && l.strategy === allocation.strategy,
      );
      if (!lot)
        throw new ReconciliationError(
          `exit ${pending.clientOrderId} closes no ${allocation.strategy} lot in ${pending.symbol}`,
        );
      if (unsold === 0) continue;
      const { part, rest } = splitLot(lot, Math.min(lot.qty, unsold));
      unsold -= part.qty;
      lots =
        rest === null ? lots.filter((l) => l !== lot) : lots.map((l) => (l === lot ? rest : l));
      closedTrades.push(
        closeLot(part, {
          date: order.filledDate!,
          price: order.filledAvgPrice!,
          // The venue charges one commission for the net order: each lot carries its share
          commission: (order.commission * part.qty) / order.filledQty,
          reason: allocation.reason,
        }),
      );
    }
  }

  const stillOpen: Lot[] = [];
  const reprotect: Reprotect[] = [];
  // A lot waiting on a pending exit had its stop cancelled on purpose: it is not unprotected
  const exiting = (lot: Lot) =>
    stillPending.some((p) => p.intent === 'exit' && p.symbol === lot.symbol);
  const protectAgain = (lot: Lot, reason: string, replaces: Order | null) => {
    const quarantine = { symbol: lot.symbol, reason };
    reprotect.push({ lot, quarantine, replaces });
    quarantined.push(quarantine);
  };
  for (const lot of lots) {
    const stop = orders.get(lot.stopOrderId);
    const what = `stop ${lot.stopOrderId} of ${lot.symbol} (${lot.strategy})`;
    if (stop === undefined) {
      stillOpen.push(lot);
      quarantined.push({ symbol: lot.symbol, reason: `the broker has no stop ${lot.stopOrderId}` });
    } else if (isWorking(stop)) {
      stillOpen.push(lot);
      // The books apply a stop's fills once it has ended: until then its rest still works
      if (stop.filledQty > 0) {
        quarantined.push({
          symbol: lot.symbol,
          reason: `${what} sold ${stop.filledQty} of ${stop.qty} and is still ${stop.status}: the lot is applied once it ends`,
        });
      } else if (stop.status === 'pending_cancel') {
        quarantined.push({
          symbol: lot.symbol,
          reason: `${what} is being cancelled at the broker: it no longer protects the lot`,
        });
      } else if (stop.qty !== lot.qty && !exiting(lot)) {
        // Too many would open a short when it fires, too few leave shares bare
        protectAgain(lot, `${what} covers ${stop.qty} shares, the lot holds ${lot.qty}`, stop);
      }
    } else {
      // Ended: what it sold closes that much of the lot (a stop sized to the lot sells no more)
      const sold = Math.min(lot.qty, stop.filledQty);
      let held: Lot | null = lot;
      if (sold > 0) {
        const { part, rest } = splitLot(lot, sold);
        held = rest;
        filled.push(stop);
        closedTrades.push(
          closeLot(part, {
            date: stop.filledDate!,
            price: stop.filledAvgPrice!,
            // Its whole commission when it sold exactly the lot, as it always does in a backtest
            commission:
              sold === stop.filledQty ? stop.commission : (stop.commission * sold) / stop.filledQty,
            reason: 'stop',
          }),
        );
      }
      if (held === null) continue;
      stillOpen.push(held);
      if (!exiting(held)) {
        protectAgain(
          held,
          sold > 0
            ? `${what} sold ${sold} of the lot's ${lot.qty} and ended ${stop.status}: ${held.qty} are unprotected`
            : `${what} is ${stop.status} but the lot is still open: it is unprotected`,
          null,
        );
      }
    }
  }
  lots = stillOpen;

  return {
    portfolio: { ...portfolio, lots, pending: stillPending },
    closedTrades,
    unfilled,
    filled,
    quarantined,
    reprotect,
  };
}

/** The symbols whose net position at the broker differs from the lots' net, with both numbers. */
export function positionDifferences(
  lots: readonly Lot[],
  broker: readonly { symbol: string; qty: number }[],
): Quarantine[] {
  const books = new Map<string, number>();
  for (const lot of lots) books.set(lot.symbol, (books.get(lot.symbol) ?? 0) + lot.qty);
  const venue = new Map(broker.map((p) => [p.symbol, p.qty]));
  const symbols = new Set([...books.keys(), ...venue.keys()]);
  return [...symbols]
    .filter((s) => (books.get(s) ?? 0) !== (venue.get(s) ?? 0))
    .map((symbol) => ({
      symbol,
      reason: `position differs from the broker's: books ${books.get(symbol) ?? 0}, broker ${venue.get(symbol) ?? 0}`,
    }));
}
