import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MetricsInput, metricsFor } from '../../../../shared/domain/metrics/performance.js';
import { dailyReturns, drawdownSeries } from '../../../../shared/domain/metrics/series.js';
import { aClosedTrade } from '../../../fixtures/builders.js';

const ROOT_252 = Math.sqrt(252);

const dateOf = (d: number) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);

/** A backtest of the given equity curve from 100, flat exposure and no trades unless overridden. */
const anInput = (equity: number[], overrides: Partial<MetricsInput> = {}): MetricsInput => ({
  dates: equity.map((_, d) => dateOf(d)),
  equity: Float64Array.from(equity),
  initialCapital: 100,
  exposure: new Float64Array(equity.length),
  trades: [],
  ...overrides,
});

/** Equity from 100 compounding the given daily returns. */
const compound = (returns: readonly number[]): number[] => {
  let value = 100;
  return returns.map((r) => {
    value *= 1 + r;
    return value;
  });
};

const aTrade = (pnl: number) => aClosedTrade(pnl);

describe('metricsFor', () => {
  it('computes the return and risk metrics of a small curve', () => {
    // Returns from 100: 0, 0.1, -0.1, 0.1; mean 0.025
    const m = metricsFor(anInput([100, 110, 99, 108.9]));

    expect(m.totalReturn).toBeCloseTo(0.089, 12); // 108.9/100 - 1
    expect(m.cagr).toBeCloseTo(1.089 ** (252 / 4) - 1, 9); // 4 trading days = 4/252 years
    // Squared deviations from 0.025: 0.025² + 0.075² + 0.125² + 0.075² = 0.0275; sample var = 0.0275/3
    const dailyStd = Math.sqrt(0.0275 / 3); // 0.0957
    expect(m.volatility).toBeCloseTo(dailyStd * ROOT_252, 12); // 1.5199
    expect(m.sharpe).toBeCloseTo((0.025 / dailyStd) * ROOT_252, 12); // 4.1450
    // Downside: only -0.1 is below 0, so sqrt(0.1² / 4) = 0.05 over all 4 days
    expect(m.sortino).toBeCloseTo((0.025 / 0.05) * ROOT_252, 12); // 7.9373
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12); // Peak 110 to 99: 1 - 99/110
    expect(m.maxDrawdownDays).toBe(2); // From the peak on day 1, never recovered by day 3
    expect(m.calmar).toBeCloseTo((1.089 ** 63 - 1) / 0.1, 6);
  });

  it.each([
    // Peak 110 on day 1, unrecovered to the last day 3: 3 - 1
    { equity: [100, 110, 99, 108.9], maxDrawdown: 0.1, days: 2 },
    // The initial capital is the peak, on the day before day 0; back to 100 on day 2: 2 - (-1)
    { equity: [90, 95, 100, 101], maxDrawdown: 0.1, days: 3 },
    // 110 (day 0) -> 99, recovered day 2: 2 days; 120 (day 3) -> 96 = -20 %, unrecovered to day 6: 3 days
    { equity: [110, 99, 110, 120, 108, 96, 100], maxDrawdown: 0.2, days: 3 },
    // 120 (day 0) -> 60 = -50 % over 1 day, recovered on day 2; 130 -> 117 = -10 %, 4 days to the end
    { equity: [120, 60, 125, 130, 117, 120, 125, 129], maxDrawdown: 0.5, days: 4 },
    { equity: [101, 103, 104], maxDrawdown: 0, days: 0 }, // Rising
    { equity: [100, 100, 100], maxDrawdown: 0, days: 0 }, // Flat: a peak is matched, never lost
  ])(
    '$equity from 100 -> drawdown $maxDrawdown over $days days',
    ({ equity, maxDrawdown, days }) => {
      const m = metricsFor(anInput(equity));
      expect(m.maxDrawdown).toBeCloseTo(maxDrawdown, 12);
      expect(m.maxDrawdownDays).toBe(days);
    },
  );

  it('gives a flat curve zero volatility and Sharpe, and no Calmar or Sortino', () => {
    const m = metricsFor(anInput([100, 100, 100, 100]));
    expect(m).toMatchObject({
      totalReturn: 0,
      cagr: 0,
      volatility: 0,
      sharpe: 0, // std 0: reported as 0, not as a division by zero
      sortino: null, // No day below the risk-free rate of 0
      calmar: null, // No drawdown
      maxDrawdown: 0,
    });
  });

  it('measures a flat curve against the risk-free rate', () => {
    // Daily rf = 0.0252 / 252 = 0.0001; every day falls 0.0001 short, so downside deviation 0.0001
    const m = metricsFor(anInput([100, 100, 100], { riskFreeRate: 0.0252 }));
    expect(m.sharpe).toBe(0);
    expect(m.sortino).toBeCloseTo((-0.0001 / 0.0001) * ROOT_252, 9);
  });

  it('subtracts the daily risk-free rate in the Sharpe ratio', () => {
    // Same curve as above: mean 0.025, daily std sqrt(0.0275/3); rf 2.52 %/yr = 0.0001/day
    const m = metricsFor(anInput([100, 110, 99, 108.9], { riskFreeRate: 0.0252 }));
    expect(m.sharpe).toBeCloseTo(((0.025 - 0.0001) / Math.sqrt(0.0275 / 3)) * ROOT_252, 12);
  });

  it('gives a rising curve no drawdown, Calmar or Sortino', () => {
    const m = metricsFor(anInput([101, 103, 104]));
    expect(m).toMatchObject({ maxDrawdown: 0, maxDrawdownDays: 0, calmar: null, sortino: null });
    expect(m.totalReturn).toBeCloseTo(0.04, 12);
  });

  it('has beta 2 and alpha 0 when the strategy is twice the benchmark', () => {
    const benchmark = [0.01, -0.02, 0.015, 0.005, -0.01];
    const m = metricsFor(
      anInput(compound(benchmark.map((b) => 2 * b)), {
        benchmarkReturns: Float64Array.from(benchmark),
      }),
    );
    expect(m.beta).toBeCloseTo(2, 9);
    expect(m.alpha).toBeCloseTo(0, 9);
    // 1.01 × 0.98 × 1.015 × 1.005 × 0.99 - 1
    expect(m.benchmarkReturn).toBeCloseTo(1.01 * 0.98 * 1.015 * 1.005 * 0.99 - 1, 12);
  });

  it('annualises the daily excess over beta times the benchmark as alpha', () => {
    // r = 2b + 0.001 every day: beta 2, alpha 0.001 × 252
    const benchmark = [0.01, -0.02, 0.015, 0.005, -0.01];
    const m = metricsFor(
      anInput(compound(benchmark.map((b) => 2 * b + 0.001)), {
        benchmarkReturns: Float64Array.from(benchmark),
      }),
    );
    expect(m.beta).toBeCloseTo(2, 9);
    expect(m.alpha).toBeCloseTo(0.252, 9);
  });

  it('skips the days without a benchmark value, pairwise', () => {
    // On the NaN days the strategy moves ±30 %; on the others it is 2 × the benchmark
    const benchmark = [Number.NaN, 0.01, Number.NaN, -0.02, 0.03];
    const strategy = [0.3, 0.02, -0.3, -0.04, 0.06];
    const m = metricsFor(
      anInput(compound(strategy), { benchmarkReturns: Float64Array.from(benchmark) }),
    );
    expect(m.beta).toBeCloseTo(2, 9);
    expect(m.alpha).toBeCloseTo(0, 9);
    expect(m.benchmarkReturn).toBeCloseTo(0.019494, 12); // 1.01 × 0.98 × 1.03 - 1
  });

  it.each([
    { name: 'no benchmark', benchmark: undefined, benchmarkReturn: null },
    {
      name: 'an all-NaN benchmark',
      benchmark: [Number.NaN, Number.NaN, Number.NaN],
      benchmarkReturn: null,
    },
    { name: 'a flat benchmark', benchmark: [0, 0, 0], benchmarkReturn: 0 }, // var(b) = 0
    {
      name: 'a single benchmark day',
      benchmark: [Number.NaN, 0.01, Number.NaN],
      benchmarkReturn: 0.01,
    },
  ])('has no alpha or beta with $name', ({ benchmark, benchmarkReturn }) => {
    const m = metricsFor(
      anInput([101, 99, 102], {
        ...(benchmark && { benchmarkReturns: Float64Array.from(benchmark) }),
      }),
    );
    expect(m.alpha).toBeNull();
    expect(m.beta).toBeNull();
    expect(m.benchmarkReturn).toEqual(
      benchmarkReturn === null ? null : expect.closeTo(benchmarkReturn, 12),
    );
  });

  it('averages exposure and counts trades per 21-day month', () => {
    const equity = Array.from({ length: 42 }, () => 100);
    const exposure = Float64Array.from(equity, (_, d) => [0, 0.5, 1, 0.5][d % 4]!);
    const trades = [aTrade(50), aTrade(-20), aTrade(30), aTrade(-10), aTrade(0)];
    const m = metricsFor(anInput(equity, { exposure, trades }));
    // 10 days each of 0, 0.5, 1, 0.5 plus 0 and 0.5 for days 40 and 41: (5 + 10 + 5 + 0.5) / 42
    expect(m.exposure).toBeCloseTo(20.5 / 42, 12);
    expect(m.tradesPerMonth).toBeCloseTo(2.5, 12); // 5 trades / (42 days / 21)
    expect(m).toMatchObject({ trades: 5, avgWin: 40, avgLoss: -15 }); // (50 + 30) / 2, (-20 - 10) / 2
    expect(m.winRate).toBeCloseTo(0.4, 12);
    expect(m.profitFactor).toBeCloseTo(80 / 30, 12);
  });

  it('reports no trades as nulls, not zeros', () => {
    expect(metricsFor(anInput([100, 101]))).toMatchObject({
      trades: 0,
      winRate: null,
      profitFactor: null,
      avgWin: null,
      avgLoss: null,
      avgWinReturn: null,
      avgLossReturn: null,
      tradesPerMonth: 0,
    });
  });

  it('reports no days without NaN', () => {
    expect(metricsFor(anInput([]))).toMatchObject({
      totalReturn: 0,
      cagr: null,
      volatility: null,
      sharpe: null,
      sortino: null,
      calmar: null,
      maxDrawdown: 0,
      maxDrawdownDays: 0,
      exposure: null,
      tradesPerMonth: null,
      beta: null,
      benchmarkReturn: null,
    });
  });

  it('calls a wiped-out account a CAGR of -100 %', () => {
    const m = metricsFor(anInput([50, 0]));
    expect(m).toMatchObject({ totalReturn: -1, cagr: -1, maxDrawdown: 1 });
  });

  it.each([
    { name: 'dates', overrides: { dates: ['2024-01-01'] } },
    { name: 'exposure', overrides: { exposure: new Float64Array(1) } },
    { name: 'benchmark', overrides: { benchmarkReturns: new Float64Array(3) } },
    { name: 'initial capital', overrides: { initialCapital: 0 } },
    { name: 'equity', overrides: { equity: Float64Array.from([100, Number.NaN]) } },
  ])('rejects corrupt $name', ({ overrides }) => {
    expect(() => metricsFor(anInput([100, 101], overrides))).toThrow(RangeError);
  });

  it('agrees with the series helpers and never emits NaN or Infinity', () => {
    const day = fc.record({
      equity: fc.double({ min: 50, max: 200, noNaN: true }),
      benchmark: fc.oneof(fc.constant(Number.NaN), fc.double({ min: -0.1, max: 0.1, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(day, { maxLength: 60 }), (days) => {
        const equity = Float64Array.from(days, (d) => d.equity);
        const m = metricsFor(
          anInput(Array.from(equity), {
            benchmarkReturns: Float64Array.from(days, (d) => d.benchmark),
          }),
        );

        for (const value of Object.values(m)) {
          expect(value === null || Number.isFinite(value)).toBe(true);
        }
        expect(m.maxDrawdown).toBeCloseTo(Math.max(0, ...drawdownSeries(equity, 100)), 12);
        const returns = Array.from(dailyReturns(equity, 100));
        if (returns.length >= 2) {
          const mean = returns.reduce((sum, r) => sum + r, 0) / returns.length;
          const variance =
            returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (returns.length - 1);
          expect(m.volatility).toBeCloseTo(Math.sqrt(variance) * ROOT_252, 9);
        }
      }),
      { seed: 20240101 },
    );
  });
});
