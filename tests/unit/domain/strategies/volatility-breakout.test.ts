import { describe, expect, it } from 'vitest';
import { volatilityBreakout } from '../../../../shared/domain/strategies/volatility-breakout.js';
import { aLot } from '../../../fixtures/builders.js';
import { aContext, aDay, defaults, expectSignalOf } from './support.js';

const strategy = volatilityBreakout(defaults.strategies['volatility-breakout']);
const band = { close: 112, atr: 3.5, bollingerUpper: 110, bollingerMiddle: 100 };

describe('volatility-breakout entry', () => {
  it.each([
    { closesAboveUpper: 2, volumeRatio: 1.51, buys: true }, // the breakout is confirmed today
    { closesAboveUpper: 2, volumeRatio: 6, buys: true },
    { closesAboveUpper: 1, volumeRatio: 3, buys: false }, // the first close above is not confirmed
    { closesAboveUpper: 3, volumeRatio: 3, buys: false }, // already signalled yesterday
    { closesAboveUpper: 10, volumeRatio: 3, buys: false },
    { closesAboveUpper: 0, volumeRatio: 3, buys: false },
    { closesAboveUpper: 2, volumeRatio: 1.5, buys: false }, // at the volume level is not above it
    { closesAboveUpper: 2, volumeRatio: 1.2, buys: false },
    { closesAboveUpper: 2, volumeRatio: Number.NaN, buys: false },
  ])(
    'streak $closesAboveUpper, volume ×$volumeRatio buys: $buys',
    ({ closesAboveUpper, volumeRatio, buys }) => {
      const features = aDay({ ...band, closesAboveUpper, volumeRatio });

      const signal = strategy.entry(aContext(features), 0);

      if (buys) expectSignalOf(signal, 'volatility-breakout', features, 0);
      else expect(signal).toBeNull();
    },
  );

  it.each([1.500001, 2, 3, 1e9])('keeps confidence in [0, 1] at volume ratio %s', (volumeRatio) => {
    const features = aDay({ ...band, closesAboveUpper: 2, volumeRatio });

    const signal = strategy.entry(aContext(features), 0);

    expectSignalOf(signal, 'volatility-breakout', features, 0);
    expect(signal.price).toBe(112);
    expect(signal.atr).toBe(3.5);
  });

  it('reads only the asked symbol of a universe', () => {
    const features = aDay(
      { ...band, closesAboveUpper: 1, volumeRatio: 3 },
      { ...band, closesAboveUpper: 2, volumeRatio: 3 },
    );

    expect(strategy.entry(aContext(features), 0)).toBeNull();
    expect(strategy.entry(aContext(features), 1)?.symbol).toBe('BBB');
  });
});

describe('volatility-breakout exit', () => {
  const lot = aLot({ strategy: 'volatility-breakout', symbol: 'AAA' });

  it.each([
    { close: 99.99, held: 1, reason: 'strategy' }, // below the middle band (SMA20)
    { close: 90, held: 9, reason: 'strategy' },
    { close: 100, held: 1, reason: null }, // on the middle band is not below it
    { close: 105, held: 9, reason: null },
    { close: 105, held: 10, reason: 'time' }, // maxHoldDays 10
    { close: 120, held: 14, reason: 'time' },
    { close: 90, held: 10, reason: 'strategy' }, // the rule exit explains more than the clock
  ])('close $close after $held sessions -> $reason', ({ close, held, reason }) => {
    const context = aContext(aDay({ ...band, close }));

    const decision = strategy.exit(lot, context, 0, held);

    if (reason === null) expect(decision).toBeNull();
    else expect(decision).toMatchObject({ symbol: 'AAA', strategy: 'volatility-breakout', reason });
  });

  it('does not exit on a middle band it does not have yet', () => {
    const context = aContext(aDay({ close: 90, bollingerMiddle: Number.NaN }));

    expect(strategy.exit(lot, context, 0, 3)).toBeNull();
  });
});
