import { describe, expect, it } from 'vitest';
import { mlMomentum } from '../../../../shared/domain/strategies/ml-momentum.js';
import { aLot } from '../../../fixtures/builders.js';
import { aContext, aDay, defaults, expectSignalOf } from './support.js';

const strategy = mlMomentum(defaults.strategies['ml-momentum']);
const priced = { close: 77.7, atr: 1.9, rsi: 20, previousRsi: 10 };

describe('ml-momentum entry', () => {
  it.each([
    { mlProbability: 0.6000001, buys: true },
    { mlProbability: 0.75, buys: true },
    { mlProbability: 1, buys: true },
    { mlProbability: 0.6, buys: false }, // at the threshold is not above it
    { mlProbability: 0.59, buys: false },
    { mlProbability: 0.1, buys: false },
    { mlProbability: Number.NaN, buys: false }, // no trained model yet
  ])('P = $mlProbability buys: $buys', ({ mlProbability, buys }) => {
    const features = aDay({ ...priced, mlProbability });

    const signal = strategy.entry(aContext(features), 0);

    if (buys) expectSignalOf(signal, 'ml-momentum', features, 0);
    else expect(signal).toBeNull();
  });

  it('ranks by the probability itself and signals the close and ATR', () => {
    const features = aDay({ ...priced, mlProbability: 0.83 });

    const signal = strategy.entry(aContext(features), 0);

    expectSignalOf(signal, 'ml-momentum', features, 0);
    expect(signal).toMatchObject({ confidence: 0.83, price: 77.7, atr: 1.9 });
  });

  it('reads only the asked symbol of a universe', () => {
    const features = aDay({ ...priced, mlProbability: 0.9 }, { ...priced, mlProbability: 0.2 });

    expect(strategy.entry(aContext(features), 0)?.symbol).toBe('AAA');
    expect(strategy.entry(aContext(features), 1)).toBeNull();
  });
});

describe('ml-momentum exit', () => {
  const lot = aLot({ strategy: 'ml-momentum', symbol: 'AAA' });

  it.each([
    { held: 1, mlProbability: 0.1, reason: null }, // no rule exit: a low probability does not sell
    { held: 4, mlProbability: 0.9, reason: null },
    { held: 5, mlProbability: 0.9, reason: 'time' }, // maxHoldDays 5
    { held: 5, mlProbability: Number.NaN, reason: 'time' },
    { held: 8, mlProbability: 0.1, reason: 'time' },
  ])('after $held sessions at P = $mlProbability -> $reason', ({ held, mlProbability, reason }) => {
    const decision = strategy.exit(lot, aContext(aDay({ ...priced, mlProbability })), 0, held);

    if (reason === null) expect(decision).toBeNull();
    else expect(decision).toMatchObject({ symbol: 'AAA', strategy: 'ml-momentum', reason });
  });
});
