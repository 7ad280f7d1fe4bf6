import type { Order } from '../../ports/index.js';
import { TradingError } from '../errors.js';
import type { ClosedTrade, Lot } from '../model.js';
import { closeLot, type PendingOrder, type Portfolio } from './portfolio.js';

/** The books and the broker disagree: a person must look before the bot trades again. */
export class ReconciliationError extends TradingError {
  override name = 'ReconciliationError';
}

/** A symbol the bot stops trading until its books and the broker agree again, and why. */
export interface Quarantine {
  readonly symbol: string;
  readonly reason: string;
}

export interface FillsApplied {
  readonly portfolio: Portfolio;
  readonly closedTrades: ClosedTrade[];
  /** Orders that ended without a fill (rejected or canceled at the venue) */
  readonly unfilled: Order[];
  readonly filled: Order[];
  /** Anomalies, by symbol: the orders stay pending and the lots stay held, to be looked at again */
  readonly quarantined: Quarantine[];
  /**
   * Held lots whose stop ended at the broker (cancelled, expired, rejected) with no exit pending,
   * each with its entry in `quarantined`
   */
  readonly unprotected: { readonly lot: Lot; readonly quarantine: Quarantine }[];
}

/**
 * Brings the lots up to date with what the broker did since the last run: entries that filled
 * become lots, exits and triggered stops close theirs. `orders` holds the broker's record of every
 * pending order, of every pending entry's stop and of every lot's stop. An order still open after a
 * session, one the broker does not know, or a lot whose stop is gone is an anomaly: its symbol is
 * quarantined, the order stays pending and the lot stays held, and every other symbol goes on.
 */
export function applyFills(
  portfolio: Portfolio,
  orders: ReadonlyMap<string, Order>,
  session: number,
): FillsApplied {
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
    if (order === undefined || order.status === 'accepted') {
      stillPending.push(pending);
      quarantined.push({
        symbol: pending.symbol,
        reason:
          order === undefined
            ? `the broker has no order ${pending.clientOrderId}`
            : `order ${pending.clientOrderId} is still open after a session: check it at the broker`,
      });
      continue;
    }
    // An entry that ended after a partial fill holds what it bought: a lot of that size
    const partEntry =
      pending.intent === 'entry' && order.status !== 'filled' && order.filledQty > 0;
    if (order.status !== 'filled' && !partEntry) {
      unfilled.push(order);
      continue;
    }
    filled.push(order);
    if (partEntry) {
      quarantined.push({
        symbol: pending.symbol,
        reason: `entry ${pending.clientOrderId} filled ${order.filledQty} of ${order.qty} and was then ${order.status}: the lot holds ${order.filledQty}`,
      });
    }
    if (pending.intent === 'entry') {
      lots.push({
        symbol: pending.symbol,
        strategy: pending.strategy,
        qty: order.filledQty,
        entryDate: order.filledDate!,
        entrySession: session,
        entryPrice: order.filledAvgPrice!,
        entryCommission: order.commission,
        stopPrice: pending.stopPrice,
        targetPrice: pending.targetPrice,
        entryOrderId: pending.clientOrderId,
        stopOrderId: pending.stopOrderId,
      });
    } else settled.push({ pending, order });
  }

  // Exits next: they sold at the open, before any stop of the day could trigger. A pending exit
  // keeps its lots held: they are quarantined with it
  for (const { pending, order } of settled) {
    if (pending.intent !== 'exit') continue;
    for (const allocation of pending.allocations) {
      const lot = lots.find(
        (l) => l.symbol === pending.symbol && l.strategy === allocation.strategy,
      );
      if (!lot)
        throw new ReconciliationError(
          `exit ${pending.clientOrderId} closes no ${allocation.strategy} lot in ${pending.symbol}`,
        );
      lots = lots.filter((l) => l !== lot);
      closedTrades.push(
        closeLot(lot, {
          date: order.filledDate!,
          price: order.filledAvgPrice!,
          // The venue charges one commission for the net order: each lot carries its share
          commission: (order.commission * lot.qty) / order.filledQty,
          reason: allocation.reason,
        }),
      );
    }
  }

  const stillOpen: Lot[] = [];
  const unprotected: { lot: Lot; quarantine: Quarantine }[] = [];
  for (const lot of lots) {
    const stop = orders.get(lot.stopOrderId);
    if (stop === undefined) {
      stillOpen.push(lot);
      quarantined.push({ symbol: lot.symbol, reason: `the broker has no stop ${lot.stopOrderId}` });
    } else if (stop.status === 'filled') {
      filled.push(stop);
      closedTrades.push(
        closeLot(lot, {
          date: stop.filledDate!,
          price: stop.filledAvgPrice!,
          commission: stop.commission,
          reason: 'stop',
        }),
      );
    } else if (stop.status === 'accepted') {
      stillOpen.push(lot);
    } else {
      stillOpen.push(lot);
      // Every settled exit has closed its lots by now, so a lot whose stop is gone is unprotected
      // (a lot waiting on a pending exit had its stop cancelled on purpose)
      const exiting = stillPending.some((p) => p.intent === 'exit' && p.symbol === lot.symbol);
      if (!exiting) {
        const quarantine = {
          symbol: lot.symbol,
          reason: `stop ${stop.clientOrderId} of ${lot.symbol} (${lot.strategy}) is ${stop.status} but the lot is still open: it is unprotected`,
        };
        unprotected.push({ lot, quarantine });
        quarantined.push(quarantine);
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
    unprotected,
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
