import type { TradingConfig } from '../config.js';
import type { Lot, RiskDecision, SizedOrder, TradingState } from '../model.js';

export interface RiskContext {
  readonly cash: number;
  readonly equity: number;
  /** Market value of the open lots at the decision close */
  readonly positionsValue: number;
  readonly lots: readonly Lot[];
  readonly tradingState: TradingState;
  /** The regime's cap on heat (market value of positions / equity) */
  readonly maxHeat: number;
}

/**
 * Approves or rejects each sized order in turn (best first), counting what was approved before it:
 * the trading state, a size, the position limits, heat after the trade, and cash for trade and costs.
 */
export function checkRisk(
  orders: readonly SizedOrder[],
  context: RiskContext,
  config: TradingConfig['risk'],
): RiskDecision[] {
  let cash = context.cash;
  let positionsValue = context.positionsValue;
  let positions = context.lots.length;
  const perSymbol = new Map<string, number>();
  for (const lot of context.lots) perSymbol.set(lot.symbol, (perSymbol.get(lot.symbol) ?? 0) + 1);

  return orders.map((order): RiskDecision => {
    const reject = (reason: RiskDecision['reason'], detail: string): RiskDecision => ({
      order,
      approved: false,
      reason,
      detail,
    });
    if (context.tradingState !== 'ACTIVE') {
      return reject('TRADING_STATE', `trading state is ${context.tradingState}: exits only`);
    }
    if (order.qty <= 0) return reject('ZERO_SIZE', order.reason);
    if (positions >= config.maxPositions) {
      return reject('MAX_POSITIONS', `${positions} positions open, limit ${config.maxPositions}`);
    }
    const inSymbol = perSymbol.get(order.symbol) ?? 0;
    if (inSymbol >= config.maxPositionsPerSymbol) {
      return reject(
        'MAX_POSITIONS_PER_SYMBOL',
        `${inSymbol} positions in ${order.symbol}, limit ${config.maxPositionsPerSymbol}`,
      );
    }
    const notional = order.qty * order.price;
    const heatAfter = (positionsValue + notional) / context.equity;
    // A millionth of a dollar of slack: exactly at the cap in cents must pass despite float rounding
    if (!(positionsValue + notional <= context.maxHeat * context.equity + 1e-6)) {
      return reject(
        'MAX_HEAT',
        `heat after trade ${heatAfter.toFixed(4)} > cap ${context.maxHeat}`,
      );
    }
    if (order.estimatedCost > cash) {
      return reject(
        'INSUFFICIENT_CASH',
        `needs ${order.estimatedCost.toFixed(2)}, cash left ${cash.toFixed(2)}`,
      );
    }
    cash -= order.estimatedCost;
    positionsValue += notional;
    positions += 1;
    perSymbol.set(order.symbol, inSymbol + 1);
    return { order, approved: true, reason: null, detail: 'approved' };
  });
}
