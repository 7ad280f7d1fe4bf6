import { expect } from 'vitest';
import type { TradingConfig } from '../../../../shared/domain/config.js';
import type { DayFeatures } from '../../../../shared/domain/features/day-features.js';
import type { Signal, StrategyId } from '../../../../shared/domain/model.js';
import type { StrategyContext } from '../../../../shared/domain/strategies/index.js';
import { aConfig } from '../../../fixtures/builders.js';
import type { FeatureName } from '../features/support.js';

/** One symbol's features; every field left out is NaN ("not enough history yet"). */
export type SymbolFeatures = Partial<Record<FeatureName, number>>;

export const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD'] as const;

/** DayFeatures of one symbol per argument (AAA, BBB, …), NaN wherever a value is not given. */
export function aDay(...rows: SymbolFeatures[]): DayFeatures {
  const column = (name: FeatureName) =>
    Float64Array.from(rows, (row) => (row[name] === undefined ? Number.NaN : row[name]));
  return {
    date: '2024-03-15',
    session: 300,
    symbols: SYMBOLS.slice(0, rows.length),
    close: column('close'),
    dailyReturn: column('dailyReturn'),
    rsi: column('rsi'),
    previousRsi: column('previousRsi'),
    atr: column('atr'),
    fastSma: column('fastSma'),
    slowSma: column('slowSma'),
    previousFastSma: column('previousFastSma'),
    previousSlowSma: column('previousSlowSma'),
    trendSma: column('trendSma'),
    bollingerUpper: column('bollingerUpper'),
    bollingerMiddle: column('bollingerMiddle'),
    closesAboveUpper: column('closesAboveUpper'),
    volumeRatio: column('volumeRatio'),
    mlProbability: column('mlProbability'),
  };
}

/** A context without a news source unless a sentiment per symbol is given. */
export function aContext(
  features: DayFeatures,
  sentiment: readonly number[] | null = null,
): StrategyContext {
  return { features, sentiment: sentiment === null ? null : Float64Array.from(sentiment) };
}

/** The default config. */
export const defaults: TradingConfig = aConfig();

/** Checks what every signal must carry: the symbol, the decision close and ATR, a confidence in [0, 1]. */
export function expectSignalOf(
  signal: Signal | null,
  strategy: StrategyId,
  features: DayFeatures,
  s: number,
): asserts signal is Signal {
  expect(signal).not.toBeNull();
  expect(signal).toMatchObject({
    symbol: features.symbols[s],
    strategy,
    price: features.close[s],
    atr: features.atr[s],
  });
  expect(signal!.confidence).toBeGreaterThanOrEqual(0);
  expect(signal!.confidence).toBeLessThanOrEqual(1);
  expect(signal!.reason).not.toBe('');
}
