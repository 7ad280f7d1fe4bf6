import type { TradingConfig } from '../config.js';
import { InvalidInputError } from '../errors.js';
import type { Regime } from '../model.js';

/** Classifies the market by the VIX close: below lowBelow low, above highAbove high, normal between (inclusive). */
export function detectRegime(vix: number, config: TradingConfig['regime']): Regime {
  if (!Number.isFinite(vix) || vix <= 0) {
    throw new InvalidInputError(`VIX close must be a positive number, got ${vix}`);
  }
  const name = vix < config.lowBelow ? 'low' : vix > config.highAbove ? 'high' : 'normal';
  return {
    name,
    vix,
    maxHeat: config.maxHeat[name],
    disabledStrategies: name === 'high' ? config.disabledInHighVol : [],
  };
}
