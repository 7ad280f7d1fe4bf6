import { describe, expect, it } from 'vitest';
import { buildStrategies } from '../../../../shared/domain/strategies/index.js';
import { planExits, scanEntries } from '../../../../shared/domain/strategies/scan.js';
import { aLot } from '../../../fixtures/builders.js';
import { aContext, aDay, defaults, SYMBOLS } from './support.js';

const strategies = buildStrategies(defaults);
// RSI 20 and rising: rsi-mean-reversion buys; p = 0.9: ml-momentum buys
const oversold = { close: 100, atr: 2, rsi: 20, previousRsi: 15, mlProbability: 0.9 };
const quiet = { close: 100, atr: 2, rsi: 50, previousRsi: 50, mlProbability: 0.5 };
const indexOf = (symbol: string) => SYMBOLS.indexOf(symbol as (typeof SYMBOLS)[number]);

describe('scanEntries', () => {
  const rules = {
    enabled: ['rsi-mean-reversion', 'ml-momentum'] as const,
    regime: 'normal' as const,
    regimeOff: [],
  };

  it('asks every enabled strategy about every symbol, in the fixed strategy order', () => {
    const context = aContext(aDay(oversold, quiet, oversold));

    const { signals, inactive } = scanEntries(strategies, rules, context, []);

    expect(signals.map((s) => `${s.strategy} ${s.symbol}`)).toEqual([
      'rsi-mean-reversion AAA',
      'rsi-mean-reversion CCC',
      'ml-momentum AAA',
      'ml-momentum CCC',
    ]);
    expect(inactive).toEqual({});
  });

  it('reports a strategy that throws, drops its signals of the day, and lets the others go on', () => {
    const context = aContext(aDay(oversold, quiet, oversold));
    const broken = {
      ...strategies,
      'ml-momentum': {
        ...strategies['ml-momentum'],
        entry: (_: unknown, s: number) => {
          if (s === 2) throw new RangeError('model weights are NaN');
          return strategies['ml-momentum'].entry(context, s);
        },
      },
    };

    const { signals, failed } = scanEntries(broken, rules, context, []);

    expect(signals.map((s) => `${s.strategy} ${s.symbol}`)).toEqual([
      'rsi-mean-reversion AAA',
      'rsi-mean-reversion CCC',
    ]);
    expect(failed).toEqual({ 'ml-momentum': 'RangeError: model weights are NaN' });
  });

  it('skips a symbol the same strategy holds, but not one another strategy holds', () => {
    const context = aContext(aDay(oversold, quiet, oversold));
    const lots = [aLot({ strategy: 'ml-momentum', symbol: 'CCC' })];

    const { signals } = scanEntries(strategies, rules, context, lots);

    expect(signals.map((s) => `${s.strategy} ${s.symbol}`)).toEqual([
      'rsi-mean-reversion AAA',
      'rsi-mean-reversion CCC',
      'ml-momentum AAA',
    ]);
  });

  it('names the regime that switched a strategy off, and a strategy inactive for its own reason', () => {
    const context = aContext(aDay(oversold));

    const { signals, inactive } = scanEntries(
      strategies,
      { enabled: ['ml-momentum', 'news-sentiment'], regime: 'high', regimeOff: ['ml-momentum'] },
      context,
      [],
    );

    expect(signals).toEqual([]);
    expect(inactive['ml-momentum']).toBe('off in the high volatility regime');
    // No news source in this context
    expect(inactive['news-sentiment']).toMatch(/news/);
  });
});

describe('planExits', () => {
  it('groups the exiting lots by symbol, each lot with its own exit, in the order they first exit', () => {
    const context = aContext(aDay(quiet, quiet));
    // The fill day counts as session 1, so at session 300 a lot entered at 296 has been held 5
    const lots = [
      aLot({ strategy: 'ml-momentum', symbol: 'BBB', entrySession: 296 }),
      aLot({ strategy: 'ml-momentum', symbol: 'AAA', entrySession: 299 }),
      aLot({ strategy: 'rsi-mean-reversion', symbol: 'AAA', entrySession: 250 }),
      aLot({ strategy: 'rsi-mean-reversion', symbol: 'BBB', entrySession: 280 }),
    ];

    const plan = planExits(strategies, context, lots, 300, indexOf);
    const { exits, bySymbol } = plan;

    expect(exits.map((e) => `${e.symbol} ${e.strategy} ${e.reason}`)).toEqual([
      'BBB ml-momentum time',
      'AAA rsi-mean-reversion time',
      'BBB rsi-mean-reversion time',
    ]);
    // Lot by lot beside its exit, not grouped: a rerun pairs the stored plan's exits with lots so
    expect(plan.lots).toEqual([lots[0], lots[2], lots[3]]);
    expect(bySymbol.map((g) => g.symbol)).toEqual(['BBB', 'AAA']);
    const bbb = bySymbol[0]!;
    expect(bbb.lots.map((lot) => lot.strategy)).toEqual(['ml-momentum', 'rsi-mean-reversion']);
    expect(bbb.decisions.map((d) => d.strategy)).toEqual(['ml-momentum', 'rsi-mean-reversion']);
    expect(bbb.decisions[0]!.detail).toContain('held 5 sessions');
    expect(bbb.decisions[1]!.detail).toContain('held 21 sessions');
  });

  it('lets a reached profit target close a lot before its strategy would', () => {
    const context = aContext(aDay({ ...quiet, close: 112 }));
    const lots = [
      aLot({ strategy: 'ml-momentum', symbol: 'AAA', entrySession: 299, targetPrice: 110 }),
    ];

    const { exits } = planExits(strategies, context, lots, 300, indexOf);

    expect(exits).toEqual([
      {
        symbol: 'AAA',
        strategy: 'ml-momentum',
        reason: 'target',
        detail: 'close 112 ≥ target 110',
      },
    ]);
  });

  it('plans nothing for lots that hold', () => {
    const context = aContext(aDay(quiet));

    const plan = planExits(
      strategies,
      context,
      [aLot({ strategy: 'ml-momentum', symbol: 'AAA', entrySession: 299 })],
      300,
      indexOf,
    );

    expect(plan).toEqual({ exits: [], lots: [], bySymbol: [] });
  });
});
