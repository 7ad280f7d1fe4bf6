import { describe, expect, it } from 'vitest';
import {
  compareSignals,
  filterCorrelated,
} from '../../../../shared/domain/correlation/filter-correlated.js';
import type { Signal } from '../../../../shared/domain/model.js';
import { aSignal } from '../../../fixtures/builders.js';

const limit = 0.7;

// Pairwise correlations by 'A|B' in either order; pairs not listed are uncorrelated
function correlations(pairs: Record<string, number>): (a: string, b: string) => number {
  return (a, b) => {
    if (a === b) throw new Error(`asked for the correlation of ${a} with itself`);
    return pairs[`${a}|${b}`] ?? pairs[`${b}|${a}`] ?? 0;
  };
}

const symbolsOf = (signals: readonly Signal[]) => signals.map((s) => s.symbol);
const none = new Set<string>();

describe('compareSignals', () => {
  it.each([
    {
      name: 'higher confidence first',
      first: aSignal({ confidence: 0.9, strategy: 'volatility-breakout', symbol: 'ZZZ' }),
      second: aSignal({ confidence: 0.8, strategy: 'rsi-mean-reversion', symbol: 'AAA' }),
    },
    {
      name: 'on equal confidence, the earlier strategy id first',
      first: aSignal({ confidence: 0.8, strategy: 'rsi-mean-reversion', symbol: 'ZZZ' }),
      second: aSignal({ confidence: 0.8, strategy: 'ma-crossover', symbol: 'AAA' }),
    },
    {
      name: 'on equal confidence and strategy, the symbol in order',
      first: aSignal({ confidence: 0.8, strategy: 'ma-crossover', symbol: 'AAA' }),
      second: aSignal({ confidence: 0.8, strategy: 'ma-crossover', symbol: 'AAB' }),
    },
  ])('ranks $name', ({ first, second }) => {
    expect(compareSignals(first, second)).toBeLessThan(0);
    expect(compareSignals(second, first)).toBeGreaterThan(0);
    expect([second, first].sort(compareSignals)).toEqual([first, second]);
  });

  it('is 0 for signals that rank the same', () => {
    expect(compareSignals(aSignal(), aSignal())).toBe(0);
  });
});

describe('filterCorrelated one signal per symbol', () => {
  it('keeps the most confident signal of a symbol', () => {
    const weak = aSignal({ symbol: 'AAPL', strategy: 'ma-crossover', confidence: 0.6 });
    const strong = aSignal({ symbol: 'AAPL', strategy: 'ml-momentum', confidence: 0.9 });

    const result = filterCorrelated([weak, strong], none, correlations({}), limit);

    expect(result.accepted).toEqual([strong]);
    expect(result.rejected).toEqual([
      { signal: weak, reason: 'DUPLICATE_SYMBOL', detail: 'ml-momentum ranks higher' },
    ]);
  });

  it.each([
    ['rsi first', ['rsi-mean-reversion', 'news-sentiment', 'ma-crossover'] as const],
    ['rsi last', ['news-sentiment', 'ma-crossover', 'rsi-mean-reversion'] as const],
    ['rsi between', ['ma-crossover', 'rsi-mean-reversion', 'news-sentiment'] as const],
  ])('breaks a confidence tie by strategy whatever the input order (%s)', (_, strategies) => {
    const signals = strategies.map((strategy) =>
      aSignal({ symbol: 'AAPL', strategy, confidence: 0.75 }),
    );

    const result = filterCorrelated(signals, none, correlations({}), limit);

    expect(result.accepted.map((s) => s.strategy)).toEqual(['rsi-mean-reversion']);
    expect(result.rejected.map((r) => r.signal.strategy)).toEqual([
      'ma-crossover',
      'news-sentiment',
    ]);
  });

  it('accepts uncorrelated symbols best first, leaving the input untouched', () => {
    const signals = [
      aSignal({ symbol: 'XOM', confidence: 0.6 }),
      aSignal({ symbol: 'AAPL', confidence: 0.9 }),
      aSignal({ symbol: 'JPM', confidence: 0.7 }),
    ];
    const before = [...signals];

    const result = filterCorrelated(signals, none, correlations({}), limit);

    expect(symbolsOf(result.accepted)).toEqual(['AAPL', 'JPM', 'XOM']);
    expect(result.rejected).toEqual([]);
    expect(signals).toEqual(before);
  });
});

describe('filterCorrelated by correlation', () => {
  it.each([
    { rho: 0.71, rejected: true },
    { rho: 0.7, rejected: false },
    { rho: 0.69, rejected: false },
    { rho: -0.95, rejected: false },
  ])('correlation $rho with a held symbol -> rejected: $rejected', ({ rho, rejected }) => {
    const signal = aSignal({ symbol: 'AAPL' });

    const result = filterCorrelated(
      [signal],
      new Set(['MSFT']),
      correlations({ 'AAPL|MSFT': rho }),
      limit,
    );

    expect(result.accepted).toEqual(rejected ? [] : [signal]);
    expect(result.rejected).toEqual(
      rejected
        ? [{ signal, reason: 'CORRELATED', detail: `correlation ${rho.toFixed(3)} with MSFT` }]
        : [],
    );
  });

  it('rejects a signal correlated with one accepted earlier today, naming it', () => {
    const apple = aSignal({ symbol: 'AAPL', confidence: 0.9 });
    const microsoft = aSignal({ symbol: 'MSFT', confidence: 0.8 });

    // Input order does not matter: the more confident AAPL is accepted first
    const result = filterCorrelated(
      [microsoft, apple],
      none,
      correlations({ 'AAPL|MSFT': 0.85 }),
      limit,
    );

    expect(result.accepted).toEqual([apple]);
    expect(result.rejected).toEqual([
      { signal: microsoft, reason: 'CORRELATED', detail: 'correlation 0.850 with AAPL' },
    ]);
  });

  it('does not let a rejected signal block the ones after it', () => {
    const signals = [
      aSignal({ symbol: 'AAPL', confidence: 0.9 }),
      aSignal({ symbol: 'MSFT', confidence: 0.8 }), // correlated with held GOOG
      aSignal({ symbol: 'NVDA', confidence: 0.7 }), // correlated with MSFT only
    ];

    const result = filterCorrelated(
      signals,
      new Set(['GOOG']),
      correlations({ 'MSFT|GOOG': 0.8, 'NVDA|MSFT': 0.9 }),
      limit,
    );

    expect(symbolsOf(result.accepted)).toEqual(['AAPL', 'NVDA']);
    expect(result.rejected.map((r) => [r.signal.symbol, r.detail])).toEqual([
      ['MSFT', 'correlation 0.800 with GOOG'],
    ]);
  });

  it('leaves a second lot in a held symbol to the position limits', () => {
    const signal = aSignal({ symbol: 'AAPL' });

    // correlations() throws when asked for AAPL with itself
    const result = filterCorrelated([signal], new Set(['AAPL', 'MSFT']), correlations({}), limit);

    expect(result.accepted).toEqual([signal]);
  });

  it('rejects as CORRELATION_UNKNOWN when the correlation is NaN', () => {
    const signal = aSignal({ symbol: 'NEWCO' });

    const result = filterCorrelated(
      [signal],
      new Set(['MSFT']),
      correlations({ 'NEWCO|MSFT': Number.NaN }),
      limit,
    );

    expect(result.accepted).toEqual([]);
    expect(result.rejected).toEqual([
      { signal, reason: 'CORRELATION_UNKNOWN', detail: 'no correlation with MSFT yet' },
    ]);
  });

  it('reads the limit it is given', () => {
    const signal = aSignal({ symbol: 'AAPL' });

    const strict = filterCorrelated(
      [signal],
      new Set(['MSFT']),
      correlations({ 'AAPL|MSFT': 0.6 }),
      0.5,
    );

    expect(strict.rejected.map((r) => r.reason)).toEqual(['CORRELATED']);
  });
});
