import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../shared/domain/config.js';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import {
  MarketState,
  type MarketStateJson,
} from '../../../../shared/domain/features/market-state.js';
import type { DayBars } from '../../../../shared/domain/market/history.js';
import { throughJson } from '../../../fixtures/builders.js';
import { weekdays } from '../../../fixtures/calendar.js';
import { mulberry32 } from '../../../support/random.js';
import { daysOf, FEATURE_NAMES, pearson, randomDays, snapshot } from './support.js';

const SYMBOLS = ['AAA', 'BBB', 'CCC'];
// A short ml look-back and a weekly refit, so that the model trains within the series
const config = parseConfig({
  strategies: { 'ml-momentum': { lookbackDays: 60, retrain: 'weekly' } },
});
const DAYS = 300;
const days = randomDays(SYMBOLS, DAYS, 11);

/** Runs days [from, to) through a state and snapshots the features after each. */
function advance(state: MarketState, bars: readonly DayBars[], from = 0, to = bars.length) {
  const out: Record<string, unknown>[] = [];
  for (let d = from; d < to; d++) {
    state.update(bars[d]!);
    out.push(snapshot(state.features()));
  }
  return out;
}

const uninterrupted = advance(MarketState.create(SYMBOLS, config), days);

/** A copy of a day with one value replaced. */
function withValue(day: DayBars, field: keyof DayBars, s: number, value: number): DayBars {
  const values = Float64Array.from(day[field] as Float64Array);
  values[s] = value;
  return { ...day, [field]: values };
}

/** The error a call throws, for a closer look at it. */
function errorOf(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('MarketState JSON round trip', () => {
  it('trains the model within the series, so that the round trips cover it', () => {
    const state = MarketState.create(SYMBOLS, config);
    const trained: number[] = [];
    days.forEach((day, d) => {
      state.update(day);
      if (state.features().mlProbability.every(Number.isFinite)) trained.push(d);
    });

    // 20 sessions for the 20-day return, then a window of 60 feature rows
    expect(trained[0]).toBe(79);
    expect(trained.at(-1)).toBe(DAYS - 1);
  });

  it.each([0, 1, 13, 49, 75, 100, 151, 250])(
    'continues with the same features after a restore on day %i',
    (cut) => {
      const saved = MarketState.create(SYMBOLS, config);
      advance(saved, days, 0, cut + 1);

      const restored = MarketState.fromJSON(throughJson(saved.toJSON()), config);

      expect(restored.session).toBe(cut + 1);
      expect(restored.lastDate).toBe(days[cut]!.date);
      expect(advance(restored, days, cut + 1)).toEqual(uninterrupted.slice(cut + 1));
    },
  );

  it.each([13, 49, 100, 151, 250])(
    'reports the same features right after a restore on day %i',
    (cut) => {
      const saved = MarketState.create(SYMBOLS, config);
      advance(saved, days, 0, cut + 1);

      const restored = MarketState.fromJSON(throughJson(saved.toJSON()), config);

      expect(snapshot(restored.features())).toEqual(uninterrupted[cut]);
    },
  );

  it('ends with the same saved state as an uninterrupted run', () => {
    const whole = MarketState.create(SYMBOLS, config);
    advance(whole, days);
    const saved = MarketState.create(SYMBOLS, config);
    advance(saved, days, 0, 120);

    const restored = MarketState.fromJSON(throughJson(saved.toJSON()), config);
    advance(restored, days, 120);

    expect(throughJson(restored.toJSON())).toEqual(throughJson(whole.toJSON()));
  });

  it('round-trips a state without the ml model (ml-momentum disabled)', () => {
    const noMl = parseConfig({ strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover'] } });
    const whole = advance(MarketState.create(SYMBOLS, noMl), days, 0, 150);
    const saved = MarketState.create(SYMBOLS, noMl);
    advance(saved, days, 0, 100);

    const json = throughJson(saved.toJSON());
    const restored = MarketState.fromJSON(json, noMl);

    expect(json.ml).toBeNull();
    expect(snapshot(restored.features())).toEqual(whole[99]);
    expect(advance(restored, days, 100, 150)).toEqual(whole.slice(100));
  });
});

describe('MarketState.update validation', () => {
  const fresh = (through: number) => {
    const state = MarketState.create(SYMBOLS, config);
    for (let d = 0; d <= through; d++) state.update(days[d]!);
    return state;
  };

  it.each([
    { name: 'the same date again', date: () => days[30]!.date },
    { name: 'an earlier date', date: () => days[29]!.date },
  ])('rejects $name', ({ date }) => {
    const state = fresh(30);

    const error = errorOf(() => state.update({ ...days[31]!, date: date() }));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain(date());
  });

  it.each([
    { name: 'in a different order', symbols: ['BBB', 'AAA', 'CCC'] },
    { name: 'missing a symbol', symbols: ['AAA', 'BBB'] },
    { name: 'with an extra symbol', symbols: ['AAA', 'BBB', 'CCC', 'DDD'] },
    { name: 'of other symbols', symbols: ['AAA', 'BBB', 'ZZZ'] },
  ])('rejects a universe $name', ({ symbols }) => {
    const state = fresh(30);
    const day = days[31]!;

    expect(() => state.update({ ...day, symbols })).toThrow(InvalidInputError);
  });

  const BAD_VALUES = [
    ...(['open', 'high', 'low', 'close'] as const).flatMap((field) =>
      [Number.NaN, 0, -1].map((value) => ({ field, value })),
    ),
    { field: 'volume', value: Number.NaN },
    { field: 'volume', value: -100 },
  ] as const;

  it.each(BAD_VALUES)(
    'rejects $field = $value, naming the symbol and the field',
    ({ field, value }) => {
      const state = fresh(30);

      const error = errorOf(() => state.update(withValue(days[31]!, field, 1, value)));

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toContain('BBB');
      expect(error.message).toMatch(new RegExp(`\\b${field}\\b`));
    },
  );

  it.each(['open', 'high', 'low', 'close', 'volume'] as const)(
    'rejects an infinite %s, naming the symbol and the field',
    (field) => {
      const state = fresh(30);

      const error = errorOf(() =>
        state.update(withValue(days[31]!, field, 1, Number.POSITIVE_INFINITY)),
      );

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toContain('BBB');
      expect(error.message).toMatch(new RegExp(`\\b${field}\\b`));
    },
  );

  it.each(['open', 'high', 'low', 'close', 'volume'] as const)(
    'rejects a day whose %s array is shorter than the universe, before any bank reads it',
    (field) => {
      const state = fresh(30);
      const day = days[31]!;

      const error = errorOf(() => state.update({ ...day, [field]: day[field].subarray(0, 2) }));

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toContain(`2 ${field} values for 3 symbols`);
      expect(state.session).toBe(31);
    },
  );

  it('accepts a day without trades (volume 0)', () => {
    const state = fresh(30);

    state.update(withValue(days[31]!, 'volume', 1, 0));

    expect(state.lastDate).toBe(days[31]!.date);
  });

  it.each([
    { name: 'a repeated date', bad: () => ({ ...days[30]! }) },
    { name: 'a NaN close', bad: () => withValue(days[31]!, 'close', 2, Number.NaN) },
    { name: 'a zero low', bad: () => withValue(days[31]!, 'low', 0, 0) },
    { name: 'a swapped universe', bad: () => ({ ...days[31]!, symbols: ['CCC', 'BBB', 'AAA'] }) },
    { name: 'an infinite high', bad: () => withValue(days[31]!, 'high', 1, Infinity) },
  ])('leaves the state as it was after rejecting $name', ({ bad }) => {
    const state = fresh(30);

    expect(() => state.update(bad())).toThrow(InvalidInputError);

    expect(state.session).toBe(31);
    expect(snapshot(state.features())).toEqual(uninterrupted[30]);
    expect(advance(state, days, 31, 60)).toEqual(uninterrupted.slice(31, 60));
  });

  it('has no features before the first day', () => {
    expect(() => MarketState.create(SYMBOLS, config).features()).toThrow(InvalidInputError);
  });
});

describe('MarketState features', () => {
  // Periods all different from one another, so that a bank wired to the wrong parameter shows
  const odd = parseConfig({
    strategies: {
      enabled: ['rsi-mean-reversion', 'ma-crossover', 'news-sentiment', 'volatility-breakout'],
      'ma-crossover': { fastPeriod: 7, slowPeriod: 31 },
      'news-sentiment': { trendPeriod: 13 },
      'volatility-breakout': { period: 17 },
    },
  });
  const sma = (values: number[], period: number) =>
    values.length < period ? Number.NaN : values.slice(-period).reduce((a, b) => a + b) / period;

  it('tracks yesterday, returns, averages and the band streak day by day', () => {
    const state = MarketState.create(SYMBOLS, odd);
    const closes: number[][] = SYMBOLS.map(() => []);
    const volumes: number[][] = SYMBOLS.map(() => []);
    const streak = SYMBOLS.map(() => 0);
    let yesterday: Record<string, unknown> | null = null;
    for (const day of days.slice(0, 120)) {
      state.update(day);
      const f = state.features();
      const today = snapshot(f);
      expect(f.date).toBe(day.date);
      expect(f.symbols).toEqual(SYMBOLS);
      SYMBOLS.forEach((_, s) => {
        const close = closes[s]!;
        close.push(day.close[s]!);
        volumes[s]!.push(day.volume[s]!);
        streak[s] = day.close[s]! > f.bollingerUpper[s]! ? streak[s]! + 1 : 0;
        const near = (actual: number, expected: number) =>
          Number.isNaN(expected)
            ? expect(actual).toBeNaN()
            : expect(actual).toBeCloseTo(expected, 9);
        expect(f.close[s]).toBe(day.close[s]);
        near(f.dailyReturn[s]!, close.length < 2 ? Number.NaN : close.at(-1)! / close.at(-2)! - 1);
        near(f.fastSma[s]!, sma(close, 7));
        near(f.slowSma[s]!, sma(close, 31));
        near(f.trendSma[s]!, sma(close, 13));
        near(f.bollingerMiddle[s]!, sma(close, 17));
        near(f.volumeRatio[s]!, volumes[s]!.at(-1)! / sma(volumes[s]!, 20));
        expect(f.closesAboveUpper[s]).toBe(streak[s]);
        expect(f.mlProbability[s]).toBeNaN();
      });
      if (yesterday !== null) {
        expect(today['previousRsi']).toEqual(yesterday['rsi']);
        expect(today['previousFastSma']).toEqual(yesterday['fastSma']);
        expect(today['previousSlowSma']).toEqual(yesterday['slowSma']);
      }
      yesterday = today;
    }
    expect(FEATURE_NAMES.length).toBe(15);
  });
});

describe('MarketState.correlation', () => {
  // BBB moves with AAA plus noise, CCC on its own
  function correlatedDays(count: number, seed: number): DayBars[] {
    const random = mulberry32(seed);
    const paths = SYMBOLS.map(() => [] as number[]);
    let a = 100;
    let b = 50;
    let c = 20;
    for (let t = 0; t < count; t++) {
      const common = (random() - 0.5) * 0.04;
      a *= 1 + common;
      b *= 1 + 0.8 * common + (random() - 0.5) * 0.02;
      c *= 1 + (random() - 0.5) * 0.03;
      paths[0]!.push(a);
      paths[1]!.push(b);
      paths[2]!.push(c);
    }
    return daysOf(
      SYMBOLS,
      paths.map((close) => ({ close })),
      weekdays('2021-01-04', count),
    );
  }

  const lastReturns = (bars: readonly DayBars[], d: number, s: number, window: number) =>
    Array.from({ length: window }, (_, k) => {
      const t = d - window + 1 + k;
      return bars[t]!.close[s]! / bars[t - 1]!.close[s]! - 1;
    });

  it.each([60, 20])('is the Pearson correlation of the last %i simple returns', (window) => {
    const cfg = parseConfig({
      strategies: { enabled: ['rsi-mean-reversion'] },
      correlation: { lookbackDays: window },
    });
    const bars = correlatedDays(150, 21);
    const state = MarketState.create(SYMBOLS, cfg);
    bars.forEach((day, d) => {
      state.update(day);
      if (d < window) {
        // window returns need window + 1 closes
        expect(state.correlation('AAA', 'BBB')).toBeNaN();
        return;
      }
      const ab = pearson(lastReturns(bars, d, 0, window), lastReturns(bars, d, 1, window));
      const ac = pearson(lastReturns(bars, d, 0, window), lastReturns(bars, d, 2, window));
      expect(state.correlation('AAA', 'BBB')).toBeCloseTo(ab, 12);
      expect(state.correlation('BBB', 'AAA')).toBeCloseTo(ab, 12);
      expect(state.correlation('AAA', 'CCC')).toBeCloseTo(ac, 12);
      expect(state.correlation('CCC', 'CCC')).toBeCloseTo(1, 12);
    });
    expect(state.correlation('AAA', 'BBB')).toBeGreaterThan(0.6);
  });

  it('survives a JSON round trip', () => {
    const bars = correlatedDays(100, 22);
    const state = MarketState.create(SYMBOLS, config);
    for (const day of bars.slice(0, 80)) state.update(day);

    const restored = MarketState.fromJSON(throughJson(state.toJSON()), config);

    expect(restored.correlation('AAA', 'BBB')).toBe(state.correlation('AAA', 'BBB'));
  });

  it('rejects a symbol outside the universe', () => {
    const state = MarketState.create(SYMBOLS, config);
    state.update(days[0]!);

    expect(() => state.correlation('AAA', 'ZZZ')).toThrow(InvalidInputError);
  });
});

describe('MarketState computes only what the enabled strategies read', () => {
  const rsiOnly = parseConfig({ strategies: { enabled: ['rsi-mean-reversion'] } });

  it('leaves the features of disabled strategies NaN and keeps those every strategy needs', () => {
    const state = MarketState.create(SYMBOLS, rsiOnly);
    for (const day of days.slice(0, 80)) state.update(day);
    const f = state.features();
    for (const unread of [
      f.fastSma,
      f.slowSma,
      f.trendSma,
      f.bollingerUpper,
      f.volumeRatio,
      f.mlProbability,
    ]) {
      expect(Array.from(unread).every(Number.isNaN)).toBe(true);
    }
    for (const read of [f.rsi, f.atr, f.dailyReturn])
      expect(Array.from(read).every(Number.isFinite)).toBe(true);
  });

  it('refuses to restore a state that lacks a bank the config now needs', () => {
    const state = MarketState.create(SYMBOLS, rsiOnly);
    for (const day of days.slice(0, 10)) state.update(day);
    const json = throughJson(state.toJSON());
    const withCrossover = parseConfig({
      strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover'] },
    });
    expect(() => MarketState.fromJSON(json, withCrossover)).toThrow(
      /indicators\.fastSma: missing, which ma-crossover needs: rebuild it from history/,
    );
  });

  it.each([
    {
      spoil: (json: MarketStateJson) => json.indicators.atr.average.pop(),
      path: /^market state: indicators\.atr\.average: expected \d+ numbers or nulls, got \d+$/,
    },
    {
      spoil: (json: MarketStateJson) => json.previous.close.push(1),
      path: /^market state: previous\.close: expected \d+ numbers or nulls, got \d+$/,
    },
    {
      spoil: (json: MarketStateJson) => {
        json.indicators.returns.n = 1;
      },
      path: /^market state: indicators\.returns\.previousClose: expected 1 numbers or nulls/,
    },
  ])('refuses a state that does not fit, naming the field path: $path', ({ spoil, path }) => {
    const state = MarketState.create(SYMBOLS, rsiOnly);
    for (const day of days.slice(0, 10)) state.update(day);
    const json: MarketStateJson = throughJson(state.toJSON());
    spoil(json);
    expect(() => MarketState.fromJSON(json, rsiOnly)).toThrow(InvalidInputError);
    expect(() => MarketState.fromJSON(json, rsiOnly)).toThrow(path);
  });
});

describe('a first run warmed up on MarketState.warmUpSessions', () => {
  const universe = ['AAA', 'BBB', 'CCC', 'DDD'];
  const history = randomDays(universe, 1_000, 5);
  // The largest ml-momentum probability gap, over a month of run dates, between a state warmed up
  // on `sessions` before each date and one built over all of the history
  function worstGap(settings: Parameters<typeof parseConfig>[0], sessions: number): number {
    const cfg = parseConfig(settings);
    let worst = 0;
    for (let t = 970; t < 1_000; t += 2) {
      const full = MarketState.create(universe, cfg);
      for (let d = 0; d <= t; d++) full.update(history[d]!);
      const warm = MarketState.create(universe, cfg);
      for (let d = t - sessions; d <= t; d++) warm.update(history[d]!);
      const [a, b] = [full.features().mlProbability, warm.features().mlProbability];
      for (let s = 0; s < universe.length; s++) {
        worst = Math.max(worst, Number.isNaN(b[s]!) ? 1 : Math.abs(a[s]! - b[s]!));
      }
    }
    return worst;
  }

  it('decides as a state built over all history, where 300 sessions did not', () => {
    const defaults = {};
    const longer = { strategies: { 'ml-momentum': { lookbackDays: 300 } } };
    expect(MarketState.warmUpSessions(parseConfig(defaults))).toBe(555);
    expect(MarketState.warmUpSessions(parseConfig(longer))).toBe(603);

    expect(worstGap(defaults, MarketState.warmUpSessions(parseConfig(defaults)))).toBeLessThan(
      1e-8,
    );
    expect(worstGap(longer, MarketState.warmUpSessions(parseConfig(longer)))).toBeLessThan(1e-8);
    expect(worstGap(defaults, 300)).toBeGreaterThan(0.01);
    // The model had not even fitted once
    expect(worstGap(longer, 300)).toBe(1);
  });

  it('grows with the longest window the config asks for', () => {
    const quarterly = parseConfig({ strategies: { 'ml-momentum': { retrain: 'quarterly' } } });
    expect(MarketState.warmUpSessions(quarterly)).toBe(280 + 252 + 66);
    const noMl = parseConfig({ strategies: { enabled: ['ma-crossover'] } });
    expect(MarketState.warmUpSessions(noMl)).toBe(300);
    const slow = parseConfig({
      strategies: { enabled: ['ma-crossover'], 'ma-crossover': { slowPeriod: 400 } },
    });
    expect(MarketState.warmUpSessions(slow)).toBe(400);
  });
});
