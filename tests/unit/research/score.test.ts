import { describe, expect, it } from 'vitest';
import { metricsFor } from '../../../shared/domain/metrics/performance.js';
import { rank, type TaskMetrics } from '../../../shared/research/evaluate.js';
import { aClosedTrade } from '../../fixtures/builders.js';

const dateOf = (d: number) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);

/** A combination's metrics over an equity curve from 100 and its trades. */
function metricsOf(equity: number[], pnls: number[]): TaskMetrics {
  const { benchmarkReturn: _, ...metrics } = metricsFor({
    dates: equity.map((_, d) => dateOf(d)),
    equity: Float64Array.from(equity),
    initialCapital: 100,
    exposure: new Float64Array(equity.length),
    trades: pnls.map((pnl) => aClosedTrade(pnl)),
  });
  return {
    ...metrics,
    finalEquity: equity.at(-1)!,
    tradesByStrategy: {},
    signalsByStrategy: {},
    filledByStrategy: {},
  };
}

const steadyWinner = { index: 0, metrics: metricsOf([101, 102, 103, 104], [2, 2]) };
const loser = { index: 1, metrics: metricsOf([99, 100, 98, 97], [1, -4]) };
const idle = { index: 2, metrics: metricsOf([100, 100, 100, 100], []) };

describe('ranking combinations', () => {
  it('puts a combination without a loss, drawdown or down day first, not last', () => {
    // Its profit factor, Calmar and Sortino have no denominator: null in its metrics
    expect(steadyWinner.metrics.profitFactor).toBeNull();
    expect(steadyWinner.metrics.calmar).toBeNull();
    expect(steadyWinner.metrics.sortino).toBeNull();
    for (const objective of ['profitFactor', 'calmar', 'sortino'] as const) {
      expect(rank([loser, idle, steadyWinner], objective)[0]!.index).toBe(0);
    }
  });

  it('puts one that did nothing above a loss, and last where there is nothing to judge', () => {
    expect(rank([loser, idle], 'calmar').map((r) => r.index)).toEqual([2, 1]);
    expect(rank([loser, idle], 'sortino').map((r) => r.index)).toEqual([2, 1]);
    // No trade at all: no profit factor to rank by
    expect(rank([idle, loser], 'profitFactor').map((r) => r.index)).toEqual([1, 2]);
  });
});
