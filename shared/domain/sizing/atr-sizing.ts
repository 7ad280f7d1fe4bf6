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
  const unsized = (reason: string): SizedOrder =>
    sized(signal, 0, stopPrice, targetPrice, 0, `${signal.reason}; not sized: ${reason}`);

  if (!(stopDistance > 0) || !(signal.price > 0)) return unsized('no stop distance');
  if (!(stopPrice > 0)) return unsized('stop below zero');
  if (!(context.equity > 0) || Number.isNaN(context.cash)) {
    return unsized(`no usable account (equity ${context.equity}, cash ${context.cash})`);
  }

  const fillPrice = slippedPrice(signal.price, 'buy', config.costs);
  const costOf = (qty: number) => qty * fillPrice + commissionFor(qty, config.costs);
  // 44 × 10.0125 is 440.55000000000007: a millionth of a dollar over the cash is rounding, not cost
  const fits = (qty: number) => costOf(qty) <= context.cash + CASH_SLACK;
  const byRisk = wholeShares((context.equity * riskPerTrade) / stopDistance);
  const byPositionCap = wholeShares((context.equity * maxPositionFraction) / fillPrice);
  let byCash = wholeShares(context.cash / costOf(1));
  // The snap above may admit one share more than the cash pays for
  while (byCash > 0 && !fits(byCash)) byCash--;
  const qty = Math.min(byRisk, byPositionCap, byCash);
  if (qty <= 0) {
    const binding =
      byCash === 0
        ? 'no cash'
        : byPositionCap === 0
          ? 'one share exceeds the position cap'
          : 'one share exceeds the risk budget';
    return unsized(binding);
  }

  // Within the slack, the estimate is the cash itself, so the cash check downstream agrees
  const estimatedCost = Math.min(costOf(qty), Math.max(context.cash, 0));
  return sized(signal, qty, stopPrice, targetPrice, estimatedCost, signal.reason);
}

// Field by field, not a spread: on Node 20 `{ ...signal, qty }` costs microseconds per call here
function sized(
  signal: Signal,
  qty: number,
  stopPrice: number,
  targetPrice: number | null,
  estimatedCost: number,
  reason: string,
): SizedOrder {
  return {
    symbol: signal.symbol,
    strategy: signal.strategy,
    confidence: signal.confidence,
    price: signal.price,
    atr: signal.atr,
    reason,
    qty,
    stopPrice,
    targetPrice,
    estimatedCost,
  };
}

// 9000.9 / 100.01 is 89.99999999999999 in floating point: snap quotients within a hair of a whole
// share up before flooring (quantities are far below 1e6, so 1e-9 is no real share)
const wholeShares = (quotient: number) => Math.max(0, Math.floor(quotient + 1e-9));

const CASH_SLACK = 1e-6;
