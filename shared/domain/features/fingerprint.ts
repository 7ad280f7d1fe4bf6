import type { TradingConfig } from '../config.js';

/**
 * What a stored market state means: the universe it was built on and every setting that shapes
 * its indicators and models. A state built under another fingerprint cannot be advanced. Settings
 * the strategies apply at decision time (thresholds, holding periods) are not part of it: changing
 * them needs no rebuild.
 */
export interface FeatureFingerprint {
  readonly universe: readonly string[];
  readonly indicators: {
    readonly fastSma: number;
    readonly slowSma: number;
    readonly trendSma: number;
    readonly rsi: number;
    readonly bollinger: { readonly period: number; readonly stdDevs: number };
    readonly atr: number;
    readonly correlationDays: number;
  };
  readonly mlModel: Pick<
    TradingConfig['strategies']['ml-momentum'],
    'lookbackDays' | 'horizonDays' | 'retrain' | 'l2'
  >;
}

/** The fingerprint of a market state built for these symbols under this config. */
export function featureFingerprint(
  symbols: readonly string[],
  config: TradingConfig,
): FeatureFingerprint {
  const s = config.strategies;
  const ml = s['ml-momentum'];
  return {
    universe: symbols,
    indicators: {
      fastSma: s['ma-crossover'].fastPeriod,
      slowSma: s['ma-crossover'].slowPeriod,
      trendSma: s['news-sentiment'].trendPeriod,
      rsi: s['rsi-mean-reversion'].period,
      bollinger: {
        period: s['volatility-breakout'].period,
        stdDevs: s['volatility-breakout'].stdDevs,
      },
      atr: config.sizing.atrPeriod,
      correlationDays: config.correlation.lookbackDays,
    },
    mlModel: {
      lookbackDays: ml.lookbackDays,
      horizonDays: ml.horizonDays,
      retrain: ml.retrain,
      l2: ml.l2,
    },
  };
}

/** Whether a stored fingerprint means the same as this one. */
export function sameFingerprint(stored: unknown, wanted: FeatureFingerprint): boolean {
  const { universe, ...settings } = stored as FeatureFingerprint;
  // The universe element by element: stringifying 500 symbols twice a day was 8 % of a backtest
  const sameUniverse =
    Array.isArray(universe) &&
    universe.length === wanted.universe.length &&
    universe.every((symbol, s) => symbol === wanted.universe[s]);
  const { universe: _, ...wantedSettings } = wanted;
  return sameUniverse && JSON.stringify(settings) === JSON.stringify(wantedSettings);
}

/** The paths at which two fingerprints differ, with both values, for the "rebuild" message. */
export function fingerprintDifferences(stored: unknown, wanted: unknown, path = ''): string[] {
  if (JSON.stringify(stored) === JSON.stringify(wanted)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(stored) || !isObject(wanted)) {
    return [`${path || '(root)'}: ${JSON.stringify(stored)} → ${JSON.stringify(wanted)}`];
  }
  const keys = [...new Set([...Object.keys(stored), ...Object.keys(wanted)])].sort();
  return keys.flatMap((key) =>
    fingerprintDifferences(stored[key], wanted[key], path ? `${path}.${key}` : key),
  );
}
