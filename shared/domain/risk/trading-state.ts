import type { TradingConfig } from '../config.js';
import type { TradingState } from '../model.js';

// Exactly -2 % or exactly the halt threshold must trip, though 1 - 80000/100000 is 0.19999999999999996
const FLOAT_SLACK = 1e-12;

export interface TradingStateInput {
  /** The state stored by the previous run (HALTED persists until a person resumes) */
  readonly previous: TradingState;
  readonly equity: number;
  /** Equity at the previous trading day's close; null on the first day */
  readonly previousEquity: number | null;
  readonly peakEquity: number;
}

export interface TradingStateDecision {
  readonly state: TradingState;
  readonly reason: string;
}

/**
 * Sets the day's trading state. HALTED sticks; the daily-loss breaker sets REDUCING for this day
 * only; an optional drawdown threshold halts.
 */
export function decideTradingState(
  input: TradingStateInput,
  config: TradingConfig['risk'],
): TradingStateDecision {
  if (input.previous === 'HALTED')
    return { state: 'HALTED', reason: 'halted until resumed by hand' };
  if (config.maxDrawdownHalt !== null && input.peakEquity > 0) {
    const drawdown = 1 - input.equity / input.peakEquity;
    if (drawdown >= config.maxDrawdownHalt - FLOAT_SLACK) {
      return {
        state: 'HALTED',
        reason: `drawdown ${drawdown.toFixed(4)} reached the halt threshold ${config.maxDrawdownHalt}`,
      };
    }
  }
  if (input.previousEquity !== null && input.previousEquity > 0) {
    const change = input.equity / input.previousEquity - 1;
    if (change <= -config.dailyLossLimit + FLOAT_SLACK) {
      return {
        state: 'REDUCING',
        reason: `equity ${(change * 100).toFixed(2)} % on the day, breaker at -${config.dailyLossLimit * 100} %`,
      };
    }
  }
  return { state: 'ACTIVE', reason: 'normal' };
}
