import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../shared/domain/config.js';
import { rsiMeanReversion } from '../../../../shared/domain/strategies/rsi-mean-reversion.js';
import { aLot } from '../../../fixtures/builders.js';
import { aContext, aDay, defaults, expectSignalOf } from './support.js';

const strategy = rsiMeanReversion(defaults.strategies['rsi-mean-reversion']);
const priced = { close: 101.5, atr: 2.25 };

describe('rsi-mean-reversion entry', () => {
  it.each([
    { rsi: 29.9, previousRsi: 29.8, buys: true }, // oversold and turning up by 0.1
    { rsi: 5, previousRsi: 1, buys: true },
    { rsi: 29.999, previousRsi: 29.998, buys: true },
    { rsi: 30, previousRsi: 29, buys: false }, // at the level is not below it
    { rsi: 30.1, previousRsi: 20, buys: false },
    { rsi: 25, previousRsi: 26, buys: false }, // oversold but still falling
    { rsi: 25, previousRsi: 25, buys: false }, // flat is not a turn
    { rsi: 0, previousRsi: 0, buys: false }, // a steady slide pins RSI at 0
    { rsi: 25, previousRsi: Number.NaN, buys: false }, // the first RSI of the series has no slope
    { rsi: Number.NaN, previousRsi: 20, buys: false },
  ])('RSI $previousRsi -> $rsi buys: $buys', ({ rsi, previousRsi, buys }) => {
    // Prepare
    const features = aDay({ ...priced, rsi, previousRsi });
    // Act
    const signal = strategy.entry(aContext(features), 0);
    // Assess
    if (buys) expectSignalOf(signal, 'rsi-mean-reversion', features, 0);
    else expect(signal).toBeNull();
  });

  it('signals the close as price and the ATR, with a confidence in [0, 1]', () => {
    const features = aDay({ close: 42.42, atr: 1.23, rsi: 12, previousRsi: 10 });

    const signal = strategy.entry(aContext(features), 0);

    expectSignalOf(signal, 'rsi-mean-reversion', features, 0);
    expect(signal.price).toBe(42.42);
    expect(signal.atr).toBe(1.23);
  });

  it('ranks a deeper oversold reading above a shallower one', () => {
    const features = aDay(
      { ...priced, rsi: 28, previousRsi: 27 },
      { ...priced, rsi: 8, previousRsi: 7 },
    );
    const context = aContext(features);

    const shallow = strategy.entry(context, 0);
    const deep = strategy.entry(context, 1);

    expectSignalOf(shallow, 'rsi-mean-reversion', features, 0);
    expectSignalOf(deep, 'rsi-mean-reversion', features, 1);
    expect(deep.confidence).toBeGreaterThan(shallow.confidence);
  });

  it('reads only the asked symbol of a universe', () => {
    const features = aDay(
      { close: 10, atr: 1, rsi: 50, previousRsi: 40 },
      { close: 20, atr: 2, rsi: 20, previousRsi: 15 },
      { close: 30, atr: 3, rsi: 20, previousRsi: 25 },
    );
    const context = aContext(features);

    expect(strategy.entry(context, 0)).toBeNull();
    expectSignalOf(strategy.entry(context, 1), 'rsi-mean-reversion', features, 1);
    expect(strategy.entry(context, 1)?.symbol).toBe('BBB');
    expect(strategy.entry(context, 2)).toBeNull();
  });

  it('takes its levels from the config', () => {
    const params = parseConfig({ strategies: { 'rsi-mean-reversion': { oversold: 35 } } })
      .strategies['rsi-mean-reversion'];
    const features = aDay({ ...priced, rsi: 32, previousRsi: 31 });

    expect(strategy.entry(aContext(features), 0)).toBeNull();
    expect(rsiMeanReversion(params).entry(aContext(features), 0)).not.toBeNull();
  });

  it('is always active', () => {
    expect(strategy.inactiveReason(aContext(aDay({})))).toBeNull();
  });
});

describe('rsi-mean-reversion exit', () => {
  const lot = aLot({ strategy: 'rsi-mean-reversion', symbol: 'AAA' });

  it.each([
    { rsi: 70.1, held: 1, reason: 'strategy' }, // overbought
    { rsi: 95, held: 19, reason: 'strategy' },
    { rsi: 70, held: 1, reason: null }, // at the level is not above it
    { rsi: 50, held: 19, reason: null },
    { rsi: 50, held: 20, reason: 'time' }, // maxHoldDays 20
    { rsi: 50, held: 31, reason: 'time' },
    { rsi: Number.NaN, held: 5, reason: null },
    { rsi: Number.NaN, held: 20, reason: 'time' },
  ])('RSI $rsi after $held sessions -> $reason', ({ rsi, held, reason }) => {
    const context = aContext(aDay({ ...priced, rsi, previousRsi: 40 }));

    const decision = strategy.exit(lot, context, 0, held);

    if (reason === null) expect(decision).toBeNull();
    else expect(decision).toMatchObject({ symbol: 'AAA', strategy: 'rsi-mean-reversion', reason });
  });

  it('exits the lot of the asked symbol', () => {
    const context = aContext(aDay({ rsi: 40 }, { rsi: 80 }));
    const lot = aLot({ strategy: 'rsi-mean-reversion', symbol: 'BBB' });

    expect(strategy.exit(lot, context, 1, 3)).toMatchObject({ symbol: 'BBB', reason: 'strategy' });
    expect(
      strategy.exit(aLot({ strategy: 'rsi-mean-reversion', symbol: 'AAA' }), context, 0, 3),
    ).toBeNull();
  });
});
