import type { StrategyId } from './config.js';

export type { StrategyId } from './config.js';

export type Side = 'buy' | 'sell';
/** Why an order exists; part of its client order id */
export type Intent = 'entry' | 'exit' | 'stop';
export type RegimeName = 'low' | 'normal' | 'high';
/** ACTIVE trades normally; REDUCING (daily-loss breaker) and HALTED allow exits and stops only */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface Regime {
  readonly name: RegimeName;
  readonly vix: number;
  readonly maxHeat: number;
  readonly disabledStrategies: readonly StrategyId[];
}

/** A strategy's wish to buy a symbol at the next open, decided at a day's close. */
export interface Signal {
  readonly symbol: string;
  readonly strategy: StrategyId;
  /** 0..1, used to rank signals of one day */
  readonly confidence: number;
  /** The decision close: the price the order is sized and its stop priced against */
  readonly price: number;
  /** ATR at the decision close */
  readonly atr: number;
  readonly reason: string;
}

export interface SizedOrder extends Signal {
  readonly qty: number;
  readonly stopPrice: number;
  readonly targetPrice: number | null;
  /** Expected cost of the fill: qty × price with slippage, plus commission */
  readonly estimatedCost: number;
}

/** A position opened by one strategy in one symbol; the broker sees only the net per symbol. */
export interface Lot {
  readonly symbol: string;
  readonly strategy: StrategyId;
  readonly qty: number;
  readonly entryDate: string;
  /** The market state's session counter on the fill day: holding periods count sessions, not dates */
  readonly entrySession: number;
  readonly entryPrice: number;
  readonly entryCommission: number;
  readonly stopPrice: number;
  readonly targetPrice: number | null;
  readonly entryOrderId: string;
  readonly stopOrderId: string;
}

export type ExitReason = 'strategy' | 'time' | 'stop' | 'target';

/** A lot's exit decided at a day's close; filled at the next open. */
export interface ExitDecision {
  readonly symbol: string;
  readonly strategy: StrategyId;
  readonly reason: ExitReason;
  readonly detail: string;
}

export interface ClosedTrade {
  readonly symbol: string;
  readonly strategy: StrategyId;
  readonly entryDate: string;
  readonly entryPrice: number;
  readonly exitDate: string;
  readonly exitPrice: number;
  readonly qty: number;
  /** Net of both commissions */
  readonly pnl: number;
  /** Entry plus exit commissions */
  readonly costs: number;
  readonly exitReason: ExitReason;
}

export type RiskRejection =
  | 'INSUFFICIENT_CASH'
  | 'MAX_HEAT'
  | 'MAX_POSITIONS'
  | 'MAX_POSITIONS_PER_SYMBOL'
  | 'NOT_TRADABLE'
  | 'STALE_VIX'
  | 'TRADING_STATE'
  | 'ZERO_SIZE';

export interface RiskDecision {
  readonly order: SizedOrder;
  readonly approved: boolean;
  readonly reason: RiskRejection | null;
  readonly detail: string;
}
