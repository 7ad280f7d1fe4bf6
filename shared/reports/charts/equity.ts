import { scaleLinear, scaleLog } from 'd3-scale';
import { drawdownSeries } from '../../domain/metrics/series.js';
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
  seriesArea,
  seriesLine,
  seriesPath,
} from './common.js';
import { formatMoney, signed } from './format.js';
import { COLORS, chartDocument, el, type LegendItem, legend, noDataChart } from './svg.js';

/** An equity curve and, optionally, a benchmark grown from the same capital. */
export interface EquityChartData {
  /** Trading dates, ISO YYYY-MM-DD, ascending */
  readonly dates: readonly string[];
  /** Closing equity per date, dollars */
  readonly equity: ArrayLike<number>;
  /** Equity before the first day: where drawdown's running peak starts */
  readonly initialCapital: number;
  /** The benchmark's value per date had it started with the same capital; NaN where it has none */
  readonly benchmark?: { readonly name: string; readonly equity: ArrayLike<number> } | null;
}

/** Options of equityChart. */
export interface EquityChartOptions extends ChartOptions {
  /** The equity axis; log shows compounding as a straight line. Default linear */
  readonly scale?: 'linear' | 'log';
  readonly title?: string;
}

// The no-data panel's height; a drawn chart grows with its legend
const HEIGHT = 420;
const EQUITY_HEIGHT = 260;
const BOTTOM = 48;
const DRAWDOWN_HEIGHT = 80;
const GAP = 22;

/** Equity against the benchmark, with the drawdown below it: the chart of the daily email too. */
export function equityChart(data: EquityChartData, options: EquityChartOptions = {}): string {
  const { id, width } = frameOf('equity', options);
  const log = options.scale === 'log';
  const title = options.title ?? `Equity vs benchmark${log ? ' (log scale)' : ''}`;
  const frame = { id, kind: 'equity', title, width, height: HEIGHT };
  const { dates, equity, initialCapital } = data;
  const benchmark = data.benchmark ?? null;
  assertAligned(dates, { equity, ...(benchmark && { benchmark: benchmark.equity }) });
  if (dates.length < 2) {
    return noDataChart(frame, `an equity curve needs 2 trading days, the run has ${dates.length}`);
  }
  const plottable = (value: number) => isPlottable(value) && (!log || value > 0);

  const last = equity[equity.length - 1]!;
  const items: LegendItem[] = [
    {
      label: `Strategy ${formatMoney(last)} (${signed(last / initialCapital - 1)})`,
      color: COLORS.strategy,
      swatch: 'line',
    },
  ];
  const benchmarkLast = benchmark ? lastPlottable(benchmark.equity) : undefined;
  if (benchmark) {
    items.push({
      label:
        benchmarkLast === undefined
          ? `${benchmark.name}: no values`
          : `${benchmark.name} ${formatMoney(benchmarkLast)} (${signed(benchmarkLast / initialCapital - 1)})`,
      color: COLORS.benchmark,
      swatch: 'line',
    });
  }
  const key = legend(items, 16, 46, width - MARGIN.right);
  const top = 46 + key.height + 4;
  const x0 = MARGIN.left;
  const x1 = width - MARGIN.right;
  const equityBottom = top + EQUITY_HEIGHT;
  const drawdownTop = equityBottom + GAP;
  const drawdownBottom = drawdownTop + DRAWDOWN_HEIGHT;
  const axis = dateAxis(dates, x0, x1);

  const series = benchmark ? [equity, benchmark.equity] : [equity];
  const positive = series.map((values) =>
    Float64Array.from(values, (v) => (plottable(v) ? v : Number.NaN)),
  );
  const [low, high] = paddedExtent(positive, Math.max(Math.abs(initialCapital) * 0.01, 1)) ?? [
    initialCapital * 0.99,
    initialCapital * 1.01,
  ];
  const y = log
    ? scaleLog()
        .domain([low * 0.98, high * 1.02])
        .range([equityBottom, top])
    : scaleLinear().domain([low, high]).nice().range([equityBottom, top]);
  const tickCount = Math.max(3, Math.floor((equityBottom - top) / 45));

  const drawdowns = drawdownSeries(Float64Array.from(equity), initialCapital);
  let worst = 0;
  for (const value of drawdowns) if (Number.isFinite(value) && value > worst) worst = value;
  const dd = scaleLinear()
    .domain([-Math.max(worst, 0.01), 0])
    .nice(3)
    .range([drawdownBottom, drawdownTop]);

  const strategyLine = seriesLine(
    dates.length,
    axis.x,
    (i) => y(equity[i]!),
    (i) => plottable(equity[i]!),
  );
  const benchmarkLine = benchmark
    ? seriesLine(
        dates.length,
        axis.x,
        (i) => y(benchmark.equity[i]!),
        (i) => plottable(benchmark.equity[i]!),
      )
    : null;
  const drawdownArea = seriesArea(
    dates.length,
    axis.x,
    dd(0),
    (i) => dd(-drawdowns[i]!),
    (i) => isPlottable(drawdowns[i]!),
  );

  const body = [
    key.svg,
    leftAxis(scaleTicks(y, tickCount, '$,.3~s'), {
      x: x0,
      y0: top,
      y1: equityBottom,
      label: 'Equity ($)',
      labelOffset: 58,
      gridTo: x1,
    }),
    leftAxis(scaleTicks(dd, 3, '%'), {
      x: x0,
      y0: drawdownTop,
      y1: drawdownBottom,
      label: 'Drawdown',
      labelOffset: 58,
      gridTo: x1,
    }),
    benchmarkLine
      ? seriesPath('benchmark', benchmarkLine, {
          fill: 'none',
          stroke: COLORS.benchmark,
          'stroke-width': 1.3,
        })
      : '',
    seriesPath('strategy', strategyLine, {
      fill: 'none',
      stroke: COLORS.strategy,
      'stroke-width': 1.8,
    }),
    seriesPath('drawdown', drawdownArea, {
      fill: COLORS.drawdown,
      'fill-opacity': 0.35,
      stroke: COLORS.drawdown,
      'stroke-width': 0.8,
    }),
    el('line', { x1: x0, x2: x1, y1: dd(0), y2: dd(0), stroke: COLORS.axis, 'stroke-width': 0.8 }),
    dateAxisSvg(axis, drawdownBottom),
  ].join('');
  return chartDocument({ ...frame, height: drawdownBottom + BOTTOM }, body);
}

function lastPlottable(values: ArrayLike<number>): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (isPlottable(values[i])) return values[i];
  return undefined;
}
