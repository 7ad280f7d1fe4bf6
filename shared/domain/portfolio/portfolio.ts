import type { ClosedTrade, ExitReason, Lot, StrategyId, TradingState } from '../model.js';

/** An order sent to the broker whose fill the next run applies to the lots. */
export type PendingOrder = PendingEntry | PendingExit;

export interface PendingEntry {
  readonly intent: 'entry';
  readonly clientOrderId: string;
  readonly decisionDate: string;
  readonly symbol: string;
  readonly qty: number;
  readonly strategy: StrategyId;
  readonly stopOrderId: string;
  readonly stopPrice: number;
  readonly targetPrice: number | null;
}

/** One sell per symbol and day; the broker sees the net, the allocations say which lots it closes. */
export interface PendingExit {
  readonly intent: 'exit';
  readonly clientOrderId: string;
  readonly decisionDate: string;
  readonly symbol: string;
  readonly qty: number;
  readonly allocations: readonly {
    readonly strategy: StrategyId;
    readonly qty: number;
    readonly reason: ExitReason;
    readonly detail: string;
  }[];
}

/** What the bot owns and remembers between runs. The broker's positions must equal the lots' net. */
export interface Portfolio {
  readonly lots: readonly Lot[];
  readonly pending: readonly PendingOrder[];
  /** The stored state: HALTED persists until resumed; REDUCING is decided afresh each day */
  readonly tradingState: TradingState;
  readonly previousEquity: number | null;
  readonly peakEquity: number;
  /** The trading date of the last completed run */
  readonly lastRunDate: string | null;
}

/** A portfolio with no positions, as a new account starts. */
export const emptyPortfolio = (): Portfolio => ({
  lots: [],
  pending: [],
  tradingState: 'ACTIVE',
  previousEquity: null,
  peakEquity: 0,
  lastRunDate: null,
});

/** Closes (part of) a lot at a price, splitting the exit commission by quantity. */
export function closeLot(
  lot: Lot,
  exit: { date: string; price: number; commission: number; reason: ExitReason },
): ClosedTrade {
  const pnl = (exit.price - lot.entryPrice) * lot.qty - lot.entryCommission - exit.commission;
  return {
    symbol: lot.symbol,
    strategy: lot.strategy,
    entryDate: lot.entryDate,
    entryPrice: lot.entryPrice,
    exitDate: exit.date,
    exitPrice: exit.price,
    qty: lot.qty,
    pnl,
    costs: lot.entryCommission + exit.commission,
    exitReason: exit.reason,
  };
}

/**
 * A lot cut in two where an order sold only `qty` of its shares: that part, and the rest (null
 * when nothing is left), each with its share of the entry commission. A whole lot is returned as
 * it is, so its trade is closed with the numbers it always had.
 */
export function splitLot(lot: Lot, qty: number): { part: Lot; rest: Lot | null } {
  if (qty >= lot.qty) return { part: lot, rest: null };
  const commission = (lot.entryCommission * qty) / lot.qty;
  return {
    part: { ...lot, qty, entryCommission: commission },
    rest: { ...lot, qty: lot.qty - qty, entryCommission: lot.entryCommission - commission },
  };
}

/** Net quantity per symbol over the lots: what the broker should hold. */
export function netQuantities(lots: readonly Lot[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const lot of lots) net.set(lot.symbol, (net.get(lot.symbol) ?? 0) + lot.qty);
  return net;
}

/** Unrealised P&L of a lot marked at a price, net of its entry commission. */
export const unrealisedPnl = (lot: Lot, mark: number) =>
  (mark - lot.entryPrice) * lot.qty - lot.entryCommission;
