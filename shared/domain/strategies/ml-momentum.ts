import type { Strategy, StrategyParams } from './strategy.js';
import { fmt, signalAt, timeExit } from './strategy.js';

/** Buys when the logistic model's P(forward return > 0) exceeds the threshold; exits after maxHoldDays. */
export function mlMomentum(params: StrategyParams<'ml-momentum'>): Strategy {
  return {
    id: 'ml-momentum',
    inactiveReason: () => null,
    entry(context, s) {
      const p = context.features.mlProbability[s]!;
      if (!(p > params.threshold)) return null;
      return signalAt(
        context,
        s,
        'ml-momentum',
        p,
        `P(${params.horizonDays}-day return > 0) = ${fmt(p, 3)}`,
      );
    },
    exit: (lot, _context, _s, heldSessions) => timeExit(lot, heldSessions, params.maxHoldDays),
  };
}
