import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import { detectRegime } from '../../../../shared/domain/regime/detect-regime.js';
import { aConfig } from '../../../fixtures/builders.js';

const regimeConfig = aConfig().regime;

describe('detectRegime', () => {
  it.each([
    { vix: 0.01, name: 'low' },
    { vix: 14.99, name: 'low' },
    { vix: 15, name: 'normal' },
    { vix: 20, name: 'normal' },
    { vix: 25, name: 'normal' },
    { vix: 25.01, name: 'high' },
    { vix: 82.69, name: 'high' },
  ])('VIX $vix is $name', ({ vix, name }) => {
    const regime = detectRegime(vix, regimeConfig);

    expect(regime.name).toBe(name);
    expect(regime.vix).toBe(vix);
  });

  it.each([
    { vix: 12, maxHeat: 0.4 },
    { vix: 20, maxHeat: 0.3 },
    { vix: 30, maxHeat: 0.2 },
  ])('caps heat at $maxHeat when VIX is $vix', ({ vix, maxHeat }) => {
    expect(detectRegime(vix, regimeConfig).maxHeat).toBe(maxHeat);
  });

  it.each([
    { vix: 12, disabled: [] },
    { vix: 25, disabled: [] },
    { vix: 25.01, disabled: ['volatility-breakout'] },
  ])('disables $disabled when VIX is $vix', ({ vix, disabled }) => {
    expect(detectRegime(vix, regimeConfig).disabledStrategies).toEqual(disabled);
  });

  it('reads its thresholds, caps and disabled strategies from the config', () => {
    const config = aConfig({
      regime: {
        lowBelow: 12,
        highAbove: 30,
        maxHeat: { low: 0.5, normal: 0.35, high: 0.1 },
        disabledInHighVol: ['ma-crossover', 'ml-momentum'],
      },
    }).regime;

    expect(detectRegime(11.99, config)).toMatchObject({ name: 'low', maxHeat: 0.5 });
    expect(detectRegime(12, config)).toMatchObject({ name: 'normal', maxHeat: 0.35 });
    expect(detectRegime(30, config)).toMatchObject({ name: 'normal', disabledStrategies: [] });
    expect(detectRegime(30.01, config)).toEqual({
      name: 'high',
      vix: 30.01,
      maxHeat: 0.1,
      disabledStrategies: ['ma-crossover', 'ml-momentum'],
    });
  });

  it.each([Number.NaN, 0, -0, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'throws InvalidInputError for a VIX close of %s',
    (vix) => {
      expect(() => detectRegime(vix, regimeConfig)).toThrow(InvalidInputError);
      expect(() => detectRegime(vix, regimeConfig)).toThrow(/VIX close must be a positive number/);
    },
  );
});
