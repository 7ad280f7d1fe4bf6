import type { TradingConfig } from '../config.js';
import { InvalidInputError } from '../errors.js';
import type { Lot, RiskDecision, SizedOrder, StrategyId, TradingState } from '../model.js';

export interface RiskContext {
  readonly cash: number;
  readonly equity: number;
  /** Market value of the open lots at the decision close */
  readonly positionsValue: number;
  readonly lots: readonly Lot[];
  readonly tradingState: TradingState;
  /** The regime's cap on heat (market value of positions / equity) */
  readonly maxHeat: number;
  /** Market value of each strategy's open lots; needed only when the config sets heat shares */
  readonly positionsValueByStrategy?: Partial<Record<StrategyId, number>>;
  /** How many sessions old the VIX close the regime read is (0 or absent: the day's own) */
  readonly staleVixSessions?: number;
  /** Symbols the venue will not open a position in today, with its reason */
  readonly untradable?: ReadonlyMap<string, string>;
  /**
   * Entries decided before and possibly at the venue (a rerun's earlier approvals it refuses
   * now): their cash, heat and position slots are taken before any order is decided
   */
  readonly reserved?: readonly SizedOrder[];
}

/** Sessions a stale VIX close may stand in before entries are refused, unless the config says */
export const STALE_VIX_SESSIONS = 1;

// A millionth of a dollar of slack: exactly at the cap in cents must pass despite float rounding
const CAP_SLACK = 1e-6;

/**
 * Approves or rejects each sized order in turn (best first), counting what was approved before it:
 * the trading state, a size, the position limits, heat after the trade (overall, then within its
 * strategy's share of the cap when the config sets one), and cash for trade and costs.
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
  const shares = config.heatShare;
  if (shares !== undefined && context.positionsValueByStrategy === undefined) {
    throw new InvalidInputError("heat shares need the market value of each strategy's positions");
  }
  const byStrategy = new Map(Object.entries(context.positionsValueByStrategy ?? {}));
  for (const order of context.reserved ?? []) {
    const notional = order.qty * order.price;
    cash -= order.estimatedCost;
    positionsValue += notional;
    positions += 1;
    byStrategy.set(order.strategy, (byStrategy.get(order.strategy) ?? 0) + notional);
    perSymbol.set(order.symbol, (perSymbol.get(order.symbol) ?? 0) + 1);
  }
  const staleVix = context.staleVixSessions ?? 0;
  const maxStaleVix = config.maxStaleVixSessions ?? STALE_VIX_SESSIONS;

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
    if (staleVix > maxStaleVix) {
      return reject(
        'STALE_VIX',
        `the VIX close is ${staleVix} session(s) old, limit ${maxStaleVix}: exits only`,
      );
    }
    const notTradable = context.untradable?.get(order.symbol);
    if (notTradable !== undefined) return reject('NOT_TRADABLE', notTradable);
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
    if (!(positionsValue + notional <= context.maxHeat * context.equity + CAP_SLACK)) {
      return reject(
        'MAX_HEAT',
        `heat after trade ${heatAfter.toFixed(4)} > cap ${context.maxHeat}`,
      );
    }
    const share = shares?.[order.strategy];
    const ownValue = byStrategy.get(order.strategy) ?? 0;
    if (
      share !== undefined &&
      !(ownValue + notional <= share * context.maxHeat * context.equity + CAP_SLACK)
    ) {
      // The same code as the overall cap: it is the same limit, cut into the strategies' shares
      return reject(
        'MAX_HEAT',
        `${order.strategy} heat after trade ${((ownValue + notional) / context.equity).toFixed(4)} > its share ${share} of cap ${context.maxHeat}`,
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
    byStrategy.set(order.strategy, ownValue + notional);
    perSymbol.set(order.symbol, inSymbol + 1);
    return { order, approved: true, reason: null, detail: 'approved' };
  });
}
