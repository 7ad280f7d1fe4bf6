import type { TradingConfig } from '../config.js';
import type { Signal, SizedOrder } from '../model.js';
import { commissionFor, roundToTick, slippedPrice } from '../orders/fill-model.js';

export interface SizingContext {
  readonly equity: number;
  readonly cash: number;
}

/**
 * Sizes a signal so that its catastrophe stop (k × ATR below the decision close) risks a fixed
 * fraction of equity, capped by the maximum position size and by what the cash pays for,
 * slippage and commission included. A signal that cannot be sized gets qty 0 and a reason.
 */
export function sizePosition(
  signal: Signal,
  context: SizingContext,
  config: Pick<TradingConfig, 'sizing' | 'costs' | 'exits'>,
): SizedOrder {
  const { riskPerTrade, stopAtrMultiple, maxPositionFraction } = config.sizing;
  const stopDistance = stopAtrMultiple * signal.atr;
  const stopPrice = roundToTick(signal.price - stopDistance);
  const targetPrice =
    config.exits.profitTargetAtr === null
      ? null
      : roundToTick(signal.price + config.exits.profitTargetAtr * signal.atr);
  const unsized = (reason: string): SizedOrder => ({
    ...signal,
    qty: 0,
    stopPrice,
    targetPrice,
    estimatedCost: 0,
    reason: `${signal.reason}; not sized: ${reason}`,
  });

  if (!(stopDistance > 0) || !(signal.price > 0)) return unsized('no stop distance');
  if (!(stopPrice > 0)) return unsized('stop below zero');

  const fillPrice = slippedPrice(signal.price, 'buy', config.costs);
  const perShareCost = fillPrice + commissionFor(1, config.costs);
  const byRisk = Math.floor((context.equity * riskPerTrade) / stopDistance);
  const byPositionCap = Math.floor((context.equity * maxPositionFraction) / fillPrice);
  const byCash = Math.floor(Math.max(context.cash, 0) / perShareCost);
  const qty = Math.max(0, Math.min(byRisk, byPositionCap, byCash));
  if (qty === 0) return unsized(byCash === 0 ? 'no cash' : 'one share exceeds the risk budget');

  return {
    ...signal,
    qty,
    stopPrice,
    targetPrice,
    estimatedCost: qty * fillPrice + commissionFor(qty, config.costs),
  };
}
