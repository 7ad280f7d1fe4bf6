import type { Strategy, StrategyParams } from './strategy.js';
import { fmt, ruleExit, signalAt, timeExit } from './strategy.js';

/** Buys oversold symbols whose RSI has turned up; exits when overbought or after maxHoldDays. */
export function rsiMeanReversion(params: StrategyParams<'rsi-mean-reversion'>): Strategy {
  return {
    id: 'rsi-mean-reversion',
    inactiveReason: () => null,
    entry(context, s) {
      const rsi = context.features.rsi[s]!;
      const slope = rsi - context.features.previousRsi[s]!;
      if (!(rsi < params.oversold && slope > 0)) return null;
      // Deeper oversold ranks higher
      const confidence = 0.5 + (0.5 * (params.oversold - rsi)) / params.oversold;
      return signalAt(
        context,
        s,
        'rsi-mean-reversion',
        confidence,
        `RSI ${fmt(rsi)} < ${params.oversold}, slope +${fmt(slope)}`,
      );
    },
    exit(lot, context, s, heldSessions) {
      const rsi = context.features.rsi[s]!;
      if (rsi > params.overbought) return ruleExit(lot, `RSI ${fmt(rsi)} > ${params.overbought}`);
      return timeExit(lot, heldSessions, params.maxHoldDays);
    },
  };
}
