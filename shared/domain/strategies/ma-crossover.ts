import type { Strategy, StrategyParams } from './strategy.js';
import { fmt, ruleExit, signalAt } from './strategy.js';

/** Buys the golden cross (fast SMA crosses above slow) on above-average volume; exits on the death cross. */
export function maCrossover(params: StrategyParams<'ma-crossover'>): Strategy {
  return {
    id: 'ma-crossover',
    inactiveReason: () => null,
    entry(context, s) {
      const f = context.features;
      const crossedUp =
        f.previousFastSma[s]! <= f.previousSlowSma[s]! && f.fastSma[s]! > f.slowSma[s]!;
      const volumeRatio = f.volumeRatio[s]!;
      if (!(crossedUp && volumeRatio > params.minVolumeRatio)) return null;
      const confidence = 0.5 + Math.min(0.5, (volumeRatio - params.minVolumeRatio) / 2);
      return signalAt(
        context,
        s,
        'ma-crossover',
        confidence,
        `SMA${params.fastPeriod} crossed above SMA${params.slowPeriod}, volume ×${fmt(volumeRatio)}`,
      );
    },
    exit(lot, context, s) {
      const f = context.features;
      const crossedDown =
        f.previousFastSma[s]! >= f.previousSlowSma[s]! && f.fastSma[s]! < f.slowSma[s]!;
      return crossedDown
        ? ruleExit(lot, `SMA${params.fastPeriod} crossed below SMA${params.slowPeriod}`)
        : null;
    },
  };
}
