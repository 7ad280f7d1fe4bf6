import type { Order } from '../../ports/index.js';
import { TradingError } from '../errors.js';
import type { ClosedTrade, Lot } from '../model.js';
import { closeLot, type PendingOrder, type Portfolio } from './portfolio.js';

/** The books and the broker disagree: a person must look before the bot trades again. */
export class ReconciliationError extends TradingError {
  override name = 'ReconciliationError';
}

export interface FillsApplied {
  readonly portfolio: Portfolio;
  readonly closedTrades: ClosedTrade[];
  /** Orders that ended without a fill (rejected or canceled at the venue) */
  readonly unfilled: Order[];
  readonly filled: Order[];
}

/**
 * Brings the lots up to date with what the broker did since the last run: entries that filled
 * become lots, exits and triggered stops close theirs. `orders` holds the broker's record of every
 * pending order, of every pending entry's stop and of every lot's stop. An order still open after a session is an anomaly: it throws.
 */
export function applyFills(
  portfolio: Portfolio,
  orders: ReadonlyMap<string, Order>,
  session: number,
): FillsApplied {
  const closedTrades: ClosedTrade[] = [];
  const unfilled: Order[] = [];
  const filled: Order[] = [];
  const lookup = (id: string): Order => {
    const order = orders.get(id);
    if (!order) throw new ReconciliationError(`the broker has no order ${id}`);
    return order;
  };

  // Entries first, so that a stop which fired on the fill bar (a gap through it) closes its new lot
  let lots: Lot[] = [...portfolio.lots];
  const settled: { pending: PendingOrder; order: Order }[] = [];
  for (const pending of portfolio.pending) {
    const order = lookup(pending.clientOrderId);
    if (order.status === 'accepted') {
      throw new ReconciliationError(
        `order ${order.clientOrderId} is still open after a session: check it at the broker`,
      );
    }
    if (order.status !== 'filled') {
      unfilled.push(order);
      continue;
    }
    filled.push(order);
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

  // Exits next: they sold at the open, before any stop of the day could trigger
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
  for (const lot of lots) {
    const stop = lookup(lot.stopOrderId);
    if (stop.status === 'filled') {
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
      // Every exit has settled by now, so a lot whose stop is gone is unprotected
      throw new ReconciliationError(
        `stop ${stop.clientOrderId} of ${lot.symbol} (${lot.strategy}) is ${stop.status} but the lot is still open`,
      );
    }
  }
  lots = stillOpen;

  return {
    portfolio: { ...portfolio, lots, pending: [] },
    closedTrades,
    unfilled,
    filled,
  };
}

/** Throws unless the broker's net position in every symbol equals the lots' net. */
export function assertPositionsMatch(
  lots: readonly Lot[],
  broker: readonly { symbol: string; qty: number }[],
): void {
  const books = new Map<string, number>();
  for (const lot of lots) books.set(lot.symbol, (books.get(lot.symbol) ?? 0) + lot.qty);
  const venue = new Map(broker.map((p) => [p.symbol, p.qty]));
  const symbols = new Set([...books.keys(), ...venue.keys()]);
  const mismatches = [...symbols]
    .filter((s) => (books.get(s) ?? 0) !== (venue.get(s) ?? 0))
    .map((s) => `${s}: books ${books.get(s) ?? 0}, broker ${venue.get(s) ?? 0}`);
  if (mismatches.length > 0) {
    throw new ReconciliationError(`positions differ from the broker's: ${mismatches.join('; ')}`);
  }
}
