import { describe, expect, it } from 'vitest';
import { distribution, monteCarlo } from '../../../shared/research/monte-carlo.js';

const input = {
  initialCapital: 1000,
  dailyReturns: Float64Array.from({ length: 250 }, (_, i) => ((i * 37) % 11) / 500 - 0.01),
  tradePnl: Float64Array.from([50, -30, 20, -80, 40, 10, -25, 60]),
  runs: 400,
  seed: 9,
  threshold: 0.05,
};

describe('Monte Carlo', () => {
  it('is deterministic under a seed and changes with it', () => {
    const a = monteCarlo(input);
    expect(monteCarlo(input)).toEqual(a);
    expect(monteCarlo({ ...input, seed: 10 }).dailyBootstrap.finalReturn).not.toEqual(
      a.dailyBootstrap.finalReturn,
    );
  });

  it('keeps the final return of a reshuffle and moves its drawdown', () => {
    const { tradeShuffle, observed } = monteCarlo(input);
    const total = 45 / 1000;
    expect(tradeShuffle.finalReturn.p5).toBeCloseTo(total, 12);
    expect(tradeShuffle.finalReturn.p95).toBeCloseTo(total, 12);
    expect(tradeShuffle.maxDrawdown.p95).toBeGreaterThan(tradeShuffle.maxDrawdown.p5);
    expect(observed.maxDrawdown).toBeGreaterThan(0);
  });

  it('counts the share of runs with a drawdown beyond the threshold', () => {
    const { tradeBootstrap } = monteCarlo(input);
    const beyond = tradeBootstrap.samples.maxDrawdown.filter((x) => x > 0.05).length / 400;
    expect(tradeBootstrap.drawdownBeyond).toBe(beyond);
    expect(beyond).toBeGreaterThan(0);
    expect(beyond).toBeLessThan(1);
  });

  it('takes quantiles by nearest rank', () => {
    const d = distribution(Float64Array.from({ length: 100 }, (_, i) => 99 - i));
    expect(d).toEqual({ p5: 5, p25: 25, p50: 50, p75: 75, p95: 95, mean: 49.5 });
  });
});
