import { describe, expect, it } from 'vitest';
import { maCrossover } from '../../../../shared/domain/strategies/ma-crossover.js';
import { aLot } from '../../../fixtures/builders.js';
import { aContext, aDay, defaults, expectSignalOf } from './support.js';

const strategy = maCrossover(defaults.strategies['ma-crossover']);
const priced = { close: 101.5, atr: 2.25 };

// Yesterday's and today's SMA20 / SMA50
const golden = { previousFastSma: 99, previousSlowSma: 100, fastSma: 100.5, slowSma: 100.2 };

describe('ma-crossover entry', () => {
  it.each([
    { name: 'the day of the golden cross', smas: golden, volumeRatio: 1.01, buys: true },
    { name: 'a cross on heavy volume', smas: golden, volumeRatio: 4, buys: true },
    { name: 'a cross at exactly average volume', smas: golden, volumeRatio: 1, buys: false },
    { name: 'a cross on light volume', smas: golden, volumeRatio: 0.7, buys: false },
    {
      name: 'a cross without a volume ratio yet',
      smas: golden,
      volumeRatio: Number.NaN,
      buys: false,
    },
    {
      name: 'a cross from a touch (fast equal to slow yesterday)',
      smas: { previousFastSma: 100, previousSlowSma: 100, fastSma: 100.5, slowSma: 100.2 },
      volumeRatio: 2,
      buys: true,
    },
    {
      name: 'a later day above the slow SMA',
      smas: { previousFastSma: 100.5, previousSlowSma: 100.2, fastSma: 101, slowSma: 100.3 },
      volumeRatio: 2,
      buys: false,
    },
    {
      name: 'fast SMA reaching the slow one without crossing',
      smas: { previousFastSma: 99, previousSlowSma: 100, fastSma: 100, slowSma: 100 },
      volumeRatio: 2,
      buys: false,
    },
    {
      name: 'fast SMA still below',
      smas: { previousFastSma: 98, previousSlowSma: 100, fastSma: 99, slowSma: 100 },
      volumeRatio: 2,
      buys: false,
    },
    {
      name: 'the first day of the slow SMA (no yesterday)',
      smas: { previousFastSma: 99, previousSlowSma: Number.NaN, fastSma: 101, slowSma: 100 },
      volumeRatio: 2,
      buys: false,
    },
    {
      name: 'a death cross',
      smas: { previousFastSma: 101, previousSlowSma: 100, fastSma: 99, slowSma: 100 },
      volumeRatio: 2,
      buys: false,
    },
  ])('$name buys: $buys', ({ smas, volumeRatio, buys }) => {
    const features = aDay({ ...priced, ...smas, volumeRatio });

    const signal = strategy.entry(aContext(features), 0);

    if (buys) expectSignalOf(signal, 'ma-crossover', features, 0);
    else expect(signal).toBeNull();
  });

  it.each([1.0001, 1.5, 3, 1e6])('keeps confidence in [0, 1] at volume ratio %s', (volumeRatio) => {
    const features = aDay({ close: 55.5, atr: 0.75, ...golden, volumeRatio });

    const signal = strategy.entry(aContext(features), 0);

    expectSignalOf(signal, 'ma-crossover', features, 0);
    expect(signal.price).toBe(55.5);
    expect(signal.atr).toBe(0.75);
  });

  it('reads only the asked symbol of a universe', () => {
    const features = aDay(
      { ...priced, ...golden, volumeRatio: 0.5 },
      { ...priced, ...golden, volumeRatio: 1.5 },
    );

    expect(strategy.entry(aContext(features), 0)).toBeNull();
    expect(strategy.entry(aContext(features), 1)?.symbol).toBe('BBB');
  });
});

describe('ma-crossover exit', () => {
  const lot = aLot({ strategy: 'ma-crossover', symbol: 'AAA' });

  it.each([
    {
      name: 'the death cross',
      smas: { previousFastSma: 101, previousSlowSma: 100, fastSma: 99.9, slowSma: 100 },
      exits: true,
    },
    {
      name: 'a cross from a touch',
      smas: { previousFastSma: 100, previousSlowSma: 100, fastSma: 99.9, slowSma: 100 },
      exits: true,
    },
    {
      name: 'a later day below (the cross was missed)',
      smas: { previousFastSma: 99, previousSlowSma: 100, fastSma: 98, slowSma: 100 },
      exits: false,
    },
    {
      name: 'fast SMA falling onto the slow one',
      smas: { previousFastSma: 101, previousSlowSma: 100, fastSma: 100, slowSma: 100 },
      exits: false,
    },
    {
      name: 'fast SMA above',
      smas: { previousFastSma: 101, previousSlowSma: 100, fastSma: 102, slowSma: 100 },
      exits: false,
    },
    { name: 'the golden cross', smas: golden, exits: false },
  ])('$name exits: $exits', ({ smas, exits }) => {
    const decision = strategy.exit(lot, aContext(aDay({ ...priced, ...smas })), 0, 3);

    if (exits)
      expect(decision).toMatchObject({
        symbol: 'AAA',
        strategy: 'ma-crossover',
        reason: 'strategy',
      });
    else expect(decision).toBeNull();
  });

  it('has no time exit: it holds until the death cross', () => {
    const context = aContext(
      aDay({ ...priced, previousFastSma: 101, previousSlowSma: 100, fastSma: 102, slowSma: 100 }),
    );

    expect(strategy.exit(lot, context, 0, 500)).toBeNull();
  });
});
