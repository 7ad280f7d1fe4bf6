import type {
  ContributionChartData,
  EquityChartData,
  ExposureChartData,
  RegimeName,
  TradingStateName,
} from '../../../shared/reports/charts/index.js';
import { weekdays } from '../../fixtures/calendar.js';
import { mulberry32 } from '../../support/random.js';

/** Every chart's data over one set of dates, as a backtest of those dates would give it. */
export interface ChartSet {
  readonly equity: EquityChartData;
  readonly contribution: ContributionChartData;
  readonly exposure: ExposureChartData;
  readonly tradeReturns: { readonly returns: readonly number[] };
}

const CAPITAL = 100_000;
const REGIMES: readonly RegimeName[] = ['low', 'normal', 'high'];

/**
 * A seeded random walk of `days` weekdays from `start`, a benchmark with a few missing days, two
 * strategies, regimes that switch every few weeks and one REDUCING and one HALTED stretch.
 */
export function aChartSet(days: number, start = '2020-01-02', seed = 5): ChartSet {
  const random = mulberry32(seed);
  const dates = weekdays(start, days);
  const equity = new Float64Array(days);
  const benchmark = new Float64Array(days);
  const first = new Float64Array(days);
  const second = new Float64Array(days);
  let level = CAPITAL;
  let index = CAPITAL;
  for (let i = 0; i < days; i++) {
    const a = (random() - 0.48) * 400;
    const b = (random() - 0.49) * 300;
    first[i] = (first[i - 1] ?? 0) + a;
    second[i] = (second[i - 1] ?? 0) + b;
    level = CAPITAL + first[i]! + second[i]!;
    equity[i] = level;
    index *= 1 + (random() - 0.48) * 0.02;
    benchmark[i] = i % 97 === 50 ? Number.NaN : index;
  }
  const exposure = Float64Array.from({ length: days }, () => 30_000 * random());
  return {
    equity: {
      dates,
      equity,
      initialCapital: CAPITAL,
      benchmark: { name: 'Equal-weight universe', equity: benchmark },
    },
    contribution: {
      dates,
      strategies: [
        { id: 'ma-crossover', pnl: first, trades: 12 },
        { id: 'ml-momentum', pnl: second, trades: 40 },
      ],
      total: Float64Array.from(equity, (e) => e - CAPITAL),
    },
    exposure: {
      dates,
      exposure,
      heat: Float64Array.from(exposure, (x, i) => x / equity[i]!),
      regime: dates.map((_, i) => REGIMES[Math.floor(i / 17) % 3]!),
      tradingState: dates.map(
        (_, i): TradingStateName =>
          i === Math.floor(days / 3) ? 'REDUCING' : i > days - 4 ? 'HALTED' : 'ACTIVE',
      ),
      maxHeat: { low: 0.4, normal: 0.3, high: 0.2 },
    },
    tradeReturns: { returns: Array.from({ length: days }, () => (random() - 0.45) * 0.1) },
  };
}

/** A run that never traded: equity flat at the capital, no exposure, no trades. */
export function aFlatChartSet(days: number, start = '2020-01-02'): ChartSet {
  const dates = weekdays(start, days);
  const zeros = new Float64Array(days);
  return {
    equity: {
      dates,
      equity: new Float64Array(days).fill(CAPITAL),
      initialCapital: CAPITAL,
      benchmark: null,
    },
    contribution: {
      dates,
      strategies: [{ id: 'ma-crossover', pnl: zeros, trades: 0 }],
      total: zeros,
    },
    exposure: {
      dates,
      exposure: zeros,
      heat: zeros,
      regime: dates.map(() => 'normal'),
      tradingState: dates.map(() => 'ACTIVE'),
      maxHeat: { low: 0.4, normal: 0.3, high: 0.2 },
    },
    tradeReturns: { returns: [] },
  };
}
