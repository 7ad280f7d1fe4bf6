import { describe, expect, it } from 'vitest';
import type { TradingConfig } from '../../../../shared/domain/config.js';
import { MarketState } from '../../../../shared/domain/features/market-state.js';
import type { DayBars } from '../../../../shared/domain/market/history.js';
import type { ExitDecision, Signal, StrategyId } from '../../../../shared/domain/model.js';
import { buildStrategies } from '../../../../shared/domain/strategies/index.js';
import { aLot } from '../../../fixtures/builders.js';
import { daysOf } from '../features/support.js';
import { aContext, defaults } from './support.js';

// Crafted price paths through the real MarketState: the day a strategy fires is the day the
// pattern completes, computed here from the closes with plain arithmetic

const strategies = buildStrategies(defaults);

interface Fired<T> {
  readonly day: number;
  readonly close: number;
  readonly atr: number;
  readonly decision: T;
}

/** Every day on which `id` would enter symbol 0, as if it held nothing. */
function entries(days: readonly DayBars[], id: StrategyId, config = defaults): Fired<Signal>[] {
  const strategy = buildStrategies(config)[id];
  const market = MarketState.create(days[0]!.symbols, config);
  const fired: Fired<Signal>[] = [];
  days.forEach((day, d) => {
    market.update(day);
    const features = market.features();
    const signal = strategy.entry(aContext(features), 0);
    if (signal)
      fired.push({ day: d, close: day.close[0]!, atr: features.atr[0]!, decision: signal });
  });
  return fired;
}

/** Enters symbol 0 on its first signal, fills the next day, and reports the day the strategy exits. */
function firstTrade(days: readonly DayBars[], id: StrategyId, config: TradingConfig = defaults) {
  const strategy = buildStrategies(config)[id];
  const market = MarketState.create(days[0]!.symbols, config);
  let entry: number | null = null;
  let lot: ReturnType<typeof aLot> | null = null;
  for (const [d, day] of days.entries()) {
    market.update(day);
    const features = market.features();
    const context = aContext(features);
    if (entry === null) {
      if (strategy.entry(context, 0)) entry = d;
      continue;
    }
    if (lot === null) {
      lot = aLot({ strategy: id, symbol: day.symbols[0]!, entrySession: features.session });
    }
    const held = features.session - lot.entrySession + 1;
    const exit: ExitDecision | null = strategy.exit(lot, context, 0, held);
    if (exit) return { entry, exit: d, held, decision: exit };
  }
  return { entry, exit: null, held: null, decision: null };
}

/** Simple moving average of the `period` values ending at t; NaN before the window is full. */
function sma(values: readonly number[], period: number, t: number): number {
  if (t + 1 < period) return Number.NaN;
  let sum = 0;
  for (let k = t - period + 1; k <= t; k++) sum += values[k]!;
  return sum / period;
}

const constant = (length: number, value: number) => Array.from({ length }, () => value);
const oneSymbol = (close: readonly number[], volume?: readonly number[]) =>
  daysOf(['AAA'], [volume ? { close, volume } : { close }]);

describe('rsi-mean-reversion through the market state', () => {
  // A rising zigzag, a long slide, then one up day
  const close: number[] = [];
  for (let t = 0; t < 20; t++) close.push(100 + t * 0.25 + (t % 2 === 0 ? 0 : 0.75));
  for (let t = 0; t < 30; t++) close.push(close.at(-1)! * 0.985);
  const bounce = close.length;
  close.push(close.at(-1)! * 1.02);
  const days = oneSymbol(close);

  it('enters on the bounce day and not before', () => {
    const fired = entries(days, 'rsi-mean-reversion');

    expect(fired.map((f) => f.day)).toEqual([bounce]);
    expect(fired[0]!.decision).toMatchObject({
      symbol: 'AAA',
      strategy: 'rsi-mean-reversion',
      price: close[bounce],
      atr: fired[0]!.atr,
    });
    expect(fired[0]!.atr).toBeGreaterThan(0);
  });

  it('is oversold for days before the bounce without buying the slide', () => {
    const market = MarketState.create(['AAA'], defaults);
    const oversoldDays: number[] = [];
    days.slice(0, bounce).forEach((day, d) => {
      market.update(day);
      if (market.features().rsi[0]! < 30) oversoldDays.push(d);
    });

    // The test means something only if the slide is oversold well before the bounce
    expect(oversoldDays.length).toBeGreaterThan(10);
    expect(oversoldDays.at(-1)).toBe(bounce - 1);
  });
});

describe('ma-crossover through the market state', () => {
  // Down 70 sessions, up 60, down 60: a V then an inverted V
  const close: number[] = [];
  for (let t = 0; t < 70; t++) close.push(170 - t);
  for (let t = 0; t < 60; t++) close.push(close.at(-1)! + 2);
  for (let t = 0; t < 60; t++) close.push(close.at(-1)! - 2);
  const fast = (t: number) => sma(close, 20, t);
  const slow = (t: number) => sma(close, 50, t);
  const crosses = (up: boolean) =>
    close
      .map((_, t) => t)
      .filter((t) =>
        up
          ? fast(t - 1) <= slow(t - 1) && fast(t) > slow(t)
          : fast(t - 1) >= slow(t - 1) && fast(t) < slow(t),
      );
  const [golden] = crosses(true);
  const [death] = crosses(false);
  const spikeOn = (day: number) => close.map((_, t) => (t === day ? 3_000_000 : 1_000_000));

  it('has one golden cross after the trough and one death cross after the peak', () => {
    expect(crosses(true)).toEqual([golden]);
    expect(crosses(false)).toEqual([death]);
    expect(golden).toBeGreaterThan(70);
    expect(death).toBeGreaterThan(130);
  });

  it('enters on the golden cross day when volume spikes that day', () => {
    const fired = entries(oneSymbol(close, spikeOn(golden!)), 'ma-crossover');

    expect(fired.map((f) => f.day)).toEqual([golden]);
    expect(fired[0]!.decision).toMatchObject({ price: close[golden!], atr: fired[0]!.atr });
  });

  it('does not enter a cross on average volume', () => {
    expect(entries(oneSymbol(close), 'ma-crossover')).toEqual([]);
  });

  it.each([
    { name: 'the day before', offset: -1 },
    { name: 'the day after', offset: 1 },
  ])('does not enter when the volume spike is $name', ({ offset }) => {
    expect(entries(oneSymbol(close, spikeOn(golden! + offset)), 'ma-crossover')).toEqual([]);
  });

  it('exits on the death cross', () => {
    const trade = firstTrade(oneSymbol(close, spikeOn(golden!)), 'ma-crossover');

    expect(trade).toMatchObject({ entry: golden, exit: death, decision: { reason: 'strategy' } });
  });
});

describe('volatility-breakout through the market state', () => {
  // 40 quiet sessions, a five-day surge, then back to the quiet level
  const quiet = Array.from({ length: 40 }, (_, t) => (t % 2 === 0 ? 100 : 100.2));
  const surge = [103, 106, 109, 112, 115];
  const close = [...quiet, ...surge, ...constant(10, 100)];
  const start = quiet.length;
  const heavy = close.map((_, t) => (t >= start && t < start + surge.length ? 3_000_000 : 1e6));

  it('counts consecutive closes above the upper band from the first surge day', () => {
    const market = MarketState.create(['AAA'], defaults);
    const streaks: number[] = [];
    for (const day of oneSymbol(close, heavy)) {
      market.update(day);
      streaks.push(market.features().closesAboveUpper[0]!);
    }

    expect(streaks.slice(start - 2, start + 3)).toEqual([0, 0, 1, 2, 3]);
  });

  it('enters on the second close above the band, not the first nor the third', () => {
    const fired = entries(oneSymbol(close, heavy), 'volatility-breakout');

    expect(fired.map((f) => f.day)).toEqual([start + 1]);
    expect(fired[0]!.decision).toMatchObject({ price: close[start + 1], atr: fired[0]!.atr });
  });

  it('does not enter a surge on average volume', () => {
    expect(entries(oneSymbol(close), 'volatility-breakout')).toEqual([]);
  });

  it('exits on the first close below the middle band', () => {
    const below = close.findIndex((c, t) => t > start + 1 && c < sma(close, 20, t));

    const trade = firstTrade(oneSymbol(close, heavy), 'volatility-breakout');

    expect(below).toBe(start + surge.length);
    expect(trade).toMatchObject({
      entry: start + 1,
      exit: below,
      decision: { reason: 'strategy' },
    });
  });

  it('exits on time when the price stays above the middle band', () => {
    // The rise slows but goes on, so every close stays above its SMA20
    const rising = [
      ...quiet,
      ...surge,
      ...Array.from({ length: 20 }, (_, t) => 115 + 0.5 * (t + 1)),
    ];

    const trade = firstTrade(oneSymbol(rising, heavy), 'volatility-breakout');

    expect(trade).toMatchObject({ entry: start + 1, held: 10, decision: { reason: 'time' } });
    expect(trade.exit).toBe(start + 1 + 10);
  });
});

describe('the strategy registry', () => {
  it.each(Object.entries(strategies))('%s carries its own id', (id, strategy) => {
    expect(strategy.id).toBe(id);
  });
});
