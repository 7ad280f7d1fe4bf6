import { describe, expect, it } from 'vitest';
import { checkSignals, generateInjectedSignals } from '../../../shared/research/inject.js';
import { parseSpec } from '../../../shared/research/spec.js';
import { generateMarket } from '../../support/market-generator.js';

const history = generateMarket({ symbols: 4, days: 200, seed: 5, start: '2020-01-01' });
const day = (d: number) => history.dates[d]!;
const signal = (date: string, symbol = 'S000') => ({
  date,
  symbol,
  strategy: 'rsi-mean-reversion' as const,
  confidence: 0.5,
  reason: 'test',
});

describe("a spec's inject section", () => {
  it('fills the defaults of a signal', () => {
    const spec = parseSpec({
      inject: { signals: [{ date: '2020-03-02', symbol: 'S001', strategy: 'ma-crossover' }] },
    });
    expect(spec.inject).toEqual({
      afterLastSignal: 60,
      signals: [
        {
          date: '2020-03-02',
          symbol: 'S001',
          strategy: 'ma-crossover',
          confidence: 0.5,
          reason: 'injected',
        },
      ],
    });
  });

  const signal0 = { date: '2020-03-02', symbol: 'S000', strategy: 'rsi-mean-reversion' };
  it.each([
    [{ inject: { signals: [] } }, /inject\.signals: /],
    [{ inject: { signals: [{ ...signal0, date: '2020-13-01' }] } }, /inject\.signals\.0\.date: /],
    [
      { inject: { signals: [{ ...signal0, strategy: 'momentum' }] } },
      /inject\.signals\.0\.strategy: /,
    ],
    [{ inject: { signals: [{ ...signal0, confidence: 2 }] } }, /inject\.signals\.0\.confidence: /],
  ])('fails naming the field: %j', (input, message) => {
    expect(() => parseSpec(input, 'inject.json')).toThrow(message);
  });
});

describe('checkSignals', () => {
  it('sorts by date and runs from the first signal to some days after the last', () => {
    const unsorted = [signal(day(50)), signal(day(20), 'S001')];
    const { signals, from, to } = checkSignals(unsorted, history, { afterLastSignal: 10 });
    expect(signals.map((s) => s.date)).toEqual([day(20), day(50)]);
    expect({ from, to }).toEqual({ from: day(20), to: day(60) });
  });

  it('stops at the end of the data', () => {
    expect(checkSignals([signal(day(195))], history, { afterLastSignal: 10 }).to).toBe(day(199));
  });

  it("ends at the period's end when the spec sets one, and keeps the signals inside it", () => {
    const period = { from: day(10), to: day(100) };
    expect(checkSignals([signal(day(50))], history, { afterLastSignal: 10, period }).to).toBe(
      day(100),
    );
    expect(() => checkSignals([signal(day(5))], history, { afterLastSignal: 10, period })).toThrow(
      /inject\.signals\.0\.date: .* is outside the period/,
    );
  });

  it.each([
    [[signal(day(10), 'ZZZ')], /inject\.signals\.0\.symbol: ZZZ is not in the data/],
    [[signal('2020-01-04')], /inject\.signals\.0\.date: 2020-01-04 is not a trading day/],
    [[signal(day(10)), signal(day(10))], /inject\.signals\.1: .* is given twice/],
  ])('rejects %j', (signals, message) => {
    expect(() => checkSignals(signals, history, { afterLastSignal: 10 })).toThrow(message);
  });
});

describe('generateInjectedSignals', () => {
  const options = {
    history,
    strategies: ['rsi-mean-reversion', 'ma-crossover'] as const,
    first: 30,
    last: 120,
  };

  it('draws the same distinct signals under the same seed, within the period', () => {
    const a = generateInjectedSignals({ ...options, count: 50, seed: 9 });
    expect(generateInjectedSignals({ ...options, count: 50, seed: 9 })).toEqual(a);
    expect(generateInjectedSignals({ ...options, count: 50, seed: 10 })).not.toEqual(a);
    expect(new Set(a.map((s) => `${s.date} ${s.symbol} ${s.strategy}`)).size).toBe(50);
    for (const s of a) {
      expect(s.date >= day(30) && s.date <= day(120)).toBe(true);
      expect(options.strategies).toContain(s.strategy);
    }
  });

  it('refuses more signals than there are distinct ones', () => {
    expect(() =>
      generateInjectedSignals({ ...options, first: 0, last: 0, count: 9, seed: 1 }),
    ).toThrow(/cannot draw 9 distinct signals from 8/);
  });
});
