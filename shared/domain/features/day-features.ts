/**
 * What the strategies see of one day, per symbol (index s of the universe), computed from bars up
 * to that day's close only. Arrays are views of the market state: valid until its next update.
 * NaN means "not enough history yet"; every rule treats a comparison with NaN as false.
 */
export interface DayFeatures {
  readonly date: string;
  /** Sessions processed by the market state, this one included */
  readonly session: number;
  readonly symbols: readonly string[];
  readonly close: Float64Array;
  readonly dailyReturn: Float64Array;
  readonly rsi: Float64Array;
  readonly previousRsi: Float64Array;
  readonly atr: Float64Array;
  readonly fastSma: Float64Array;
  readonly slowSma: Float64Array;
  readonly previousFastSma: Float64Array;
  readonly previousSlowSma: Float64Array;
  readonly trendSma: Float64Array;
  readonly bollingerUpper: Float64Array;
  readonly bollingerMiddle: Float64Array;
  /** Consecutive closes above the upper Bollinger band, ending today */
  readonly closesAboveUpper: Float64Array;
  readonly volumeRatio: Float64Array;
  /** P(forward return > 0) from the ml-momentum model; NaN without a trained model */
  readonly mlProbability: Float64Array;
}

/** The per-symbol arrays of DayFeatures, in a fixed order (for snapshots and tests). */
export const DAY_FEATURE_ARRAYS = [
  'close',
  'dailyReturn',
  'rsi',
  'previousRsi',
  'atr',
  'fastSma',
  'slowSma',
  'previousFastSma',
  'previousSlowSma',
  'trendSma',
  'bollingerUpper',
  'bollingerMiddle',
  'closesAboveUpper',
  'volumeRatio',
  'mlProbability',
] as const satisfies readonly (keyof DayFeatures)[];
