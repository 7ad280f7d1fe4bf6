import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../shared/domain/config.js';
import {
  featureFingerprint,
  fingerprintDifferences,
  sameFingerprint,
} from '../../../../shared/domain/features/fingerprint.js';

const symbols = ['AAA', 'BBB'];
const stored = JSON.parse(JSON.stringify(featureFingerprint(symbols, parseConfig({}))));

describe('the market state fingerprint', () => {
  it.each([
    {
      what: 'an RSI threshold',
      config: { strategies: { 'rsi-mean-reversion': { oversold: 25 } } },
    },
    {
      what: 'a volume threshold',
      config: { strategies: { 'ma-crossover': { minVolumeRatio: 2 } } },
    },
    {
      what: 'a holding period',
      config: { strategies: { 'volatility-breakout': { maxHoldDays: 5 } } },
    },
    { what: 'the ml threshold', config: { strategies: { 'ml-momentum': { threshold: 0.7 } } } },
    { what: 'the risk limits', config: { risk: { maxPositions: 5 } } },
  ])('does not change with $what: no rebuild needed', ({ config }) => {
    expect(sameFingerprint(stored, featureFingerprint(symbols, parseConfig(config)))).toBe(true);
  });

  it.each([
    {
      config: { strategies: { 'rsi-mean-reversion': { period: 10 } } },
      difference: 'indicators.rsi: 14 → 10',
    },
    { config: { sizing: { atrPeriod: 20 } }, difference: 'indicators.atr: 14 → 20' },
    {
      config: { strategies: { 'ml-momentum': { retrain: 'weekly' } } },
      difference: 'mlModel.retrain: "monthly" → "weekly"',
    },
  ])('changes with what shapes the indicators: $difference', ({ config, difference }) => {
    const wanted = featureFingerprint(symbols, parseConfig(config));
    expect(sameFingerprint(stored, wanted)).toBe(false);
    expect(fingerprintDifferences(stored, wanted)).toEqual([difference]);
  });

  it('changes with the universe, its order included', () => {
    const config = parseConfig({});
    expect(sameFingerprint(stored, featureFingerprint(['BBB', 'AAA'], config))).toBe(false);
    expect(sameFingerprint(stored, featureFingerprint(['AAA'], config))).toBe(false);
  });
});
