import { deviation, mean } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { leftAxis, scaleTicks } from './axes.js';
import {
  assertAligned,
  type ChartOptions,
  dateAxis,
  dateAxisSvg,
  frameOf,
  isPlottable,
  MARGIN,
  paddedExtent,
  seriesPath,
  valuesLine,
} from './common.js';
import type { EquityChartData } from './equity.js';
import { COLORS, chartDocument, el, type LegendItem, legend, noDataChart } from './svg.js';

/** Six months of trading days. */
export const ROLLING_WINDOW = 126;
const TRADING_DAYS_PER_YEAR = 252;
// As in the metrics: a std this small is a flat curve, whose Sharpe is 0, not 1e15
const NEGLIGIBLE_STD = 1e-12;
// A benchmark window missing more than a fifth of its days has no Sharpe
const MIN_COVERAGE = 0.8;

/** Options of rollingSharpeChart. */
export interface RollingSharpeOptions extends ChartOptions {
  /** Trading days per window; default 126 */
  readonly window?: number;
  /** Annual, as a fraction; default 0 */
  readonly riskFreeRate?: number;
  /** The whole period's Sharpe, drawn as a reference line */
  readonly overall?: number | null;
}

/** Daily returns of a curve with gaps: NaN on a gap and on the day after it; day 0 is against `start`. */
export function gappedReturns(values: ArrayLike<number>, start: number): Float64Array {
  const returns = new Float64Array(values.length);
  let previous = start;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    returns[i] = isPlottable(value) && isPlottable(previous) ? value / previous - 1 : Number.NaN;
    previous = value;
  }
  return returns;
}

/**
 * Annualised Sharpe ratio over each trailing window of daily returns (sample std), NaN until the
 * first full window and where too few days of a window have a return.
 */
export function rollingSharpe(
  returns: Float64Array,
  window: number,
  riskFreeRate = 0,
): Float64Array {
  const dailyRiskFree = riskFreeRate / TRADING_DAYS_PER_YEAR;
  const out = new Float64Array(returns.length).fill(Number.NaN);
  for (let end = window; end <= returns.length; end++) {
    const slice = returns.subarray(end - window, end);
    let present = 0;
    for (const r of slice) if (Number.isFinite(r)) present++;
    if (present < Math.max(2, window * MIN_COVERAGE)) continue;
    // d3's mean and deviation skip NaN, the gaps of a benchmark
    const average = mean(slice)!;
    const std = deviation(slice)!;
    out[end - 1] =
      std < NEGLIGIBLE_STD
        ? 0
        : ((average - dailyRiskFree) / std) * Math.sqrt(TRADING_DAYS_PER_YEAR);
  }
  return out;
}

// The no-data panel's height; a drawn chart grows with its legend
const HEIGHT = 300;
const PLOT_HEIGHT = 170;
const BOTTOM = 48;

/** The trailing six-month Sharpe ratio of the strategy and its benchmark. */
export function rollingSharpeChart(
  data: EquityChartData,
  options: RollingSharpeOptions = {},
): string {
  const { id, width } = frameOf('rolling-sharpe', options);
  const window = options.window ?? ROLLING_WINDOW;
  const frame = {
    id,
    kind: 'rolling-sharpe',
    title: `Rolling ${window === ROLLING_WINDOW ? '6-month' : `${window}-day`} Sharpe ratio`,
    subtitle: `Annualised, over the trailing ${window} trading days`,
    width,
    height: HEIGHT,
  };
  const { dates, equity, initialCapital } = data;
  const benchmark = data.benchmark ?? null;
  assertAligned(dates, { equity, ...(benchmark && { benchmark: benchmark.equity }) });
  // One full window is one point, not a line
  if (dates.length <= window) {
    return noDataChart(frame, `needs over ${window} trading days, the run has ${dates.length}`);
  }
  const strategy = rollingSharpe(
    gappedReturns(equity, initialCapital),
    window,
    options.riskFreeRate,
  );
  const reference = benchmark
    ? rollingSharpe(gappedReturns(benchmark.equity, initialCapital), window, options.riskFreeRate)
    : null;
  const overall = options.overall ?? null;

  const items: LegendItem[] = [{ label: 'Strategy', color: COLORS.strategy, swatch: 'line' }];
  if (benchmark) items.push({ label: benchmark.name, color: COLORS.benchmark, swatch: 'line' });
  if (overall !== null && Number.isFinite(overall)) {
    items.push({ label: `Whole period ${overall.toFixed(2)}`, color: '#777', swatch: 'dash' });
  }
  const key = legend(items, 16, 64, width - MARGIN.right);
  const top = 64 + key.height + 4;
  const x0 = MARGIN.left;
  const x1 = width - MARGIN.right;
  const bottom = top + PLOT_HEIGHT;
  const axis = dateAxis(dates, x0, x1);
  const [low, high] = paddedExtent(reference ? [strategy, reference] : [strategy], 0.5, [
    0,
    ...(overall !== null && Number.isFinite(overall) ? [overall] : []),
  ]) ?? [-1, 1];
  const y = scaleLinear().domain([low, high]).nice(5).range([bottom, top]);

  const parts = [
    key.svg,
    leftAxis(scaleTicks(y, 5, '.1~f'), {
      x: x0,
      y0: top,
      y1: bottom,
      label: 'Sharpe ratio',
      labelOffset: 46,
      gridTo: x1,
    }),
    el('line', { x1: x0, x2: x1, y1: y(0), y2: y(0), stroke: COLORS.axis, 'stroke-width': 1 }),
  ];
  if (overall !== null && Number.isFinite(overall)) {
    parts.push(
      el('line', {
        class: 'reference',
        x1: x0,
        x2: x1,
        y1: y(overall),
        y2: y(overall),
        stroke: '#777',
        'stroke-dasharray': '3 3',
      }),
    );
  }
  if (reference) {
    parts.push(
      seriesPath('benchmark', valuesLine(reference, axis.x, y), {
        fill: 'none',
        stroke: COLORS.benchmark,
        'stroke-width': 1.1,
      }),
    );
  }
  parts.push(
    seriesPath('strategy', valuesLine(strategy, axis.x, y), {
      fill: 'none',
      stroke: COLORS.strategy,
      'stroke-width': 1.6,
    }),
    dateAxisSvg(axis, bottom),
  );
  return chartDocument({ ...frame, height: bottom + BOTTOM }, parts.join(''));
}
