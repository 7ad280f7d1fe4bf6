import type { TradingConfig } from '../config.js';
import type { DayFeatures } from '../features/day-features.js';
import type { ExitDecision, Lot, Signal, StrategyId } from '../model.js';

export interface StrategyContext {
  readonly features: DayFeatures;
  /**
   * Mean VADER compound of the symbol's headlines in the lookback window; NaN where a symbol had
   * no headlines; null when no news source is configured.
   */
  readonly sentiment: Float64Array | null;
}

/** One trading rule: its entries and its own exits. Pure; looks at day t only through the context. */
export interface Strategy {
  readonly id: StrategyId;
  /** Why the strategy cannot trade today (e.g. no news source), or null when it can */
  inactiveReason(context: StrategyContext): string | null;
  /** A buy signal for symbol s at today's close, or null */
  entry(context: StrategyContext, s: number): Signal | null;
  /** The exit of a lot this strategy opened, or null to hold; `heldSessions` counts the fill day as 1 */
  exit(lot: Lot, context: StrategyContext, s: number, heldSessions: number): ExitDecision | null;
}

export type StrategyParams<Id extends StrategyId> = TradingConfig['strategies'][Id];

/** Builds a signal from the features of symbol s. */
export function signalAt(
  context: StrategyContext,
  s: number,
  strategy: StrategyId,
  confidence: number,
  reason: string,
): Signal {
  const { features } = context;
  return {
    symbol: features.symbols[s]!,
    strategy,
    confidence: Math.min(1, Math.max(0, confidence)),
    price: features.close[s]!,
    atr: features.atr[s]!,
    reason,
  };
}

/** A time exit once a lot has been held `maxHoldDays` sessions, or null. */
export function timeExit(lot: Lot, heldSessions: number, maxHoldDays: number): ExitDecision | null {
  return heldSessions >= maxHoldDays
    ? {
        symbol: lot.symbol,
        strategy: lot.strategy,
        reason: 'time',
        detail: `held ${heldSessions} sessions (max ${maxHoldDays})`,
      }
    : null;
}

/** A strategy-rule exit. */
export function ruleExit(lot: Lot, detail: string): ExitDecision {
  return { symbol: lot.symbol, strategy: lot.strategy, reason: 'strategy', detail };
}

/** Formats a number for a human-readable reason. */
export const fmt = (x: number, digits = 2) => x.toFixed(digits);
