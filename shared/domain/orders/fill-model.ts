import type { TradingConfig } from '../config.js';
import type { Side } from '../model.js';

export type CostModel = TradingConfig['costs'];

/** The price a market order pays after slippage: always against the trader. */
export function slippedPrice(price: number, side: Side, costs: CostModel): number {
  if (!costs.enabled) return price;
  const slip = costs.slippageBps / 10_000;
  return side === 'buy' ? price * (1 + slip) : price * (1 - slip);
}

/** Commission for a fill of qty shares. */
export function commissionFor(qty: number, costs: CostModel): number {
  return costs.enabled ? qty * costs.commissionPerShare : 0;
}

/** A market order sent after the close fills at the next session's open, with slippage. */
export function marketFillPrice(side: Side, open: number, costs: CostModel): number {
  return slippedPrice(open, side, costs);
}

/**
 * A sell stop triggers when the bar trades at or below it: at the open when the bar gaps through,
 * otherwise at the stop; it then fills as a market order, with slippage. Null when not triggered.
 */
export function sellStopFillPrice(
  stopPrice: number,
  open: number,
  low: number,
  costs: CostModel,
): number | null {
  if (open <= stopPrice) return slippedPrice(open, 'sell', costs);
  if (low <= stopPrice) return slippedPrice(stopPrice, 'sell', costs);
  return null;
}

/** Snaps a price to the tick the venue accepts: cents at $1 and above, 1/100 cent below. */
export function roundToTick(price: number): number {
  const scale = price >= 1 ? 100 : 10_000;
  return Math.round(price * scale) / scale;
}
