import type { Strategy, StrategyParams } from './strategy.js';
import { fmt, ruleExit, signalAt, timeExit } from './strategy.js';

/** Buys consecutive closes above the upper Bollinger band on high volume; exits below the middle band. */
export function volatilityBreakout(params: StrategyParams<'volatility-breakout'>): Strategy {
  return {
    id: 'volatility-breakout',
    inactiveReason: () => null,
    entry(context, s) {
      const f = context.features;
      const streak = f.closesAboveUpper[s]!;
      const volumeRatio = f.volumeRatio[s]!;
      // Exactly the required streak: a signal the day the breakout is confirmed, not every day after
      if (!(streak === params.consecutiveCloses && volumeRatio > params.minVolumeRatio))
        return null;
      const confidence = 0.5 + Math.min(0.5, (volumeRatio - params.minVolumeRatio) / 3);
      return signalAt(
        context,
        s,
        'volatility-breakout',
        confidence,
        `${streak} closes above the upper band, volume ×${fmt(volumeRatio)}`,
      );
    },
    exit(lot, context, s, heldSessions) {
      const f = context.features;
      if (f.close[s]! < f.bollingerMiddle[s]!) {
        return ruleExit(
          lot,
          `close ${fmt(f.close[s]!)} < SMA${params.period} ${fmt(f.bollingerMiddle[s]!)}`,
        );
      }
      return timeExit(lot, heldSessions, params.maxHoldDays);
    },
  };
}
