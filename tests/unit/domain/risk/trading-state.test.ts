import { describe, expect, it } from 'vitest';
import type { TradingState } from '../../../../shared/domain/model.js';
import {
  decideTradingState,
  type TradingStateInput,
} from '../../../../shared/domain/risk/trading-state.js';
import { aConfig } from '../../../fixtures/builders.js';

const riskConfig = aConfig().risk; // daily loss limit 2 %, no drawdown halt
const withHalt = (maxDrawdownHalt: number) => aConfig({ risk: { maxDrawdownHalt } }).risk;

function anInput(overrides: Partial<TradingStateInput> = {}): TradingStateInput {
  return {
    previous: 'ACTIVE',
    equity: 100_000,
    previousEquity: 100_000,
    peakEquity: 100_000,
    ...overrides,
  };
}

describe('decideTradingState daily-loss breaker', () => {
  it.each([
    { previousEquity: 100_000, equity: 101_000, state: 'ACTIVE' },
    { previousEquity: 100_000, equity: 98_010, state: 'ACTIVE' }, // -1.99 %
    { previousEquity: 100_000, equity: 98_000, state: 'REDUCING' }, // -2 % exactly
    { previousEquity: 100_000, equity: 97_000, state: 'REDUCING' }, // -3 %
    { previousEquity: 55_555, equity: 54_443.9, state: 'REDUCING' }, // -2 %, inexact in binary
    { previousEquity: 123_456.75, equity: 120_987.615, state: 'REDUCING' }, // -2 %
    { previousEquity: 123_456.75, equity: 120_988.85, state: 'ACTIVE' }, // -1.999 %
  ])('$previousEquity -> $equity is $state', ({ previousEquity, equity, state }) => {
    const decision = decideTradingState(
      anInput({ previousEquity, equity, peakEquity: previousEquity }),
      riskConfig,
    );

    expect(decision.state).toBe(state);
  });

  it('names the day’s change and the breaker in the reason', () => {
    const decision = decideTradingState(anInput({ equity: 97_000 }), riskConfig);

    expect(decision.reason).toBe('equity -3.00 % on the day, breaker at -2 %');
  });

  it.each([
    { equity: 95_010, state: 'ACTIVE' }, // -4.99 %
    { equity: 95_000, state: 'REDUCING' }, // -5 %
  ])('with a 5 % limit, 100 000 -> $equity is $state', ({ equity, state }) => {
    const config = aConfig({ risk: { dailyLossLimit: 0.05 } }).risk;

    expect(decideTradingState(anInput({ equity }), config).state).toBe(state);
  });

  it('lifts REDUCING the next day when the loss is not repeated', () => {
    const decision = decideTradingState(
      anInput({ previous: 'REDUCING', previousEquity: 97_000, equity: 96_500 }),
      riskConfig,
    );

    expect(decision).toEqual({ state: 'ACTIVE', reason: 'normal' });
  });

  it.each<TradingState>(['ACTIVE', 'REDUCING'])(
    'is ACTIVE on the first day after %s',
    (previous) => {
      const decision = decideTradingState(
        anInput({ previous, previousEquity: null, equity: 50_000 }),
        riskConfig,
      );

      expect(decision).toEqual({ state: 'ACTIVE', reason: 'normal' });
    },
  );
});

describe('decideTradingState HALTED', () => {
  it.each([
    { name: 'a gain', equity: 110_000, peakEquity: 110_000, config: riskConfig },
    { name: 'a flat day', equity: 100_000, peakEquity: 100_000, config: riskConfig },
    {
      name: 'a recovery above the halt',
      equity: 99_000,
      peakEquity: 100_000,
      config: withHalt(0.1),
    },
  ])('persists through $name', ({ equity, peakEquity, config }) => {
    const decision = decideTradingState(
      anInput({ previous: 'HALTED', equity, peakEquity }),
      config,
    );

    expect(decision).toEqual({ state: 'HALTED', reason: 'halted until resumed by hand' });
  });

  it.each([
    { equity: 81_000, state: 'ACTIVE' },
    { equity: 80_000, state: 'HALTED' }, // 20 % below the peak exactly
    { equity: 79_000, state: 'HALTED' },
  ])('with a 20 % drawdown halt and a 100 000 peak, $equity is $state', ({ equity, state }) => {
    const decision = decideTradingState(
      anInput({ equity, previousEquity: equity, peakEquity: 100_000 }),
      withHalt(0.2),
    );

    expect(decision.state).toBe(state);
  });

  it.each([
    { peakEquity: 100_000, equity: 75_000, threshold: 0.25 },
    { peakEquity: 200_000, equity: 170_000, threshold: 0.15 },
    { peakEquity: 100_000, equity: 90_000, threshold: 0.1 },
    { peakEquity: 100_000, equity: 95_000, threshold: 0.05 },
  ])(
    'halts at exactly $threshold below a $peakEquity peak',
    ({ peakEquity, equity, threshold }) => {
      const decision = decideTradingState(
        anInput({ equity, previousEquity: equity, peakEquity }),
        withHalt(threshold),
      );

      expect(decision.state).toBe('HALTED');
    },
  );

  it('halts rather than reduces when a daily loss also breaches the drawdown', () => {
    const decision = decideTradingState(
      anInput({ previousEquity: 80_000, equity: 75_000, peakEquity: 100_000 }),
      withHalt(0.2),
    );

    expect(decision.state).toBe('HALTED');
    expect(decision.reason).toContain('drawdown 0.2500');
  });

  it('never halts on drawdown when the halt is off', () => {
    const decision = decideTradingState(
      anInput({ previousEquity: 40_000, equity: 40_000, peakEquity: 100_000 }),
      riskConfig,
    );

    expect(decision.state).toBe('ACTIVE');
  });
});
