import { scaleLinear } from 'd3-scale';
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
  seriesArea,
  seriesLine,
  seriesPath,
} from './common.js';
import type { EquityChartData } from './equity.js';
import { formatPercent } from './format.js';
import {
  COLORS,
  chartDocument,
  el,
  LABEL_FONT,
  type LegendItem,
  legend,
  noDataChart,
  text,
  textWidth,
} from './svg.js';

// The no-data panel's height; a drawn chart grows with its legend
const HEIGHT = 300;
const PLOT_HEIGHT = 190;
const BOTTOM = 48;

/** The deepest point and the longest stretch below a previous peak. */
export interface DrawdownFacts {
  readonly worst: number;
  readonly worstIndex: number;
  /** Index of the peak the longest stretch started from (-1: the initial capital) and where it ended */
  readonly longest: { readonly start: number; readonly end: number; readonly days: number };
}

/** Max drawdown, where it bottomed, and the longest peak-to-recovery stretch, in trading days. */
export function drawdownFacts(drawdowns: ArrayLike<number>): DrawdownFacts {
  let worst = 0;
  let worstIndex = -1;
  let peak = -1;
  let longest = { start: -1, end: -1, days: 0 };
  for (let i = 0; i < drawdowns.length; i++) {
    const value = drawdowns[i]!;
    if (value > worst) {
      worst = value;
      worstIndex = i;
    }
    if (value <= 0) {
      if (i - peak > 1 && i - peak > longest.days)
        longest = { start: peak, end: i, days: i - peak };
      peak = i;
    }
  }
  const lastDay = drawdowns.length - 1;
  if (peak < lastDay && lastDay - peak > longest.days) {
    longest = { start: peak, end: lastDay, days: lastDay - peak };
  }
  return { worst, worstIndex, longest };
}

/**
 * The underwater curve: how far equity is below its running peak each day, beside the benchmark's,
 * with the deepest point and the longest time under water marked.
 */
export function underwaterChart(data: EquityChartData, options: ChartOptions = {}): string {
  const { id, width } = frameOf('underwater', options);
  const frame = { id, kind: 'underwater', title: 'Underwater curve', width, height: HEIGHT };
  const { dates, equity, initialCapital } = data;
  const benchmark = data.benchmark ?? null;
  assertAligned(dates, { equity, ...(benchmark && { benchmark: benchmark.equity }) });
  if (dates.length < 2) {
    return noDataChart(frame, `a drawdown needs 2 trading days, the run has ${dates.length}`);
  }

  const drawdowns = drawdownSeries(Float64Array.from(equity), initialCapital);
  const benchmarkDrawdowns = benchmark ? gappedDrawdowns(benchmark.equity, initialCapital) : null;
  const facts = drawdownFacts(drawdowns);
  let deepest = facts.worst;
  for (const value of benchmarkDrawdowns ?? []) if (value > deepest) deepest = value;

  const items: LegendItem[] = [
    { label: 'Strategy', color: COLORS.drawdown, swatch: 'box' },
    ...(benchmark
      ? [{ label: benchmark.name, color: COLORS.benchmark, swatch: 'line' as const }]
      : []),
    { label: `Longest under water: ${facts.longest.days} days`, color: '#999', swatch: 'box' },
  ];
  const key = legend(items, 16, 46, width - MARGIN.right);
  const top = 46 + key.height + 8;
  const x0 = MARGIN.left;
  const x1 = width - MARGIN.right;
  const bottom = top + PLOT_HEIGHT;
  const axis = dateAxis(dates, x0, x1);
  const y = scaleLinear()
    .domain([-Math.max(deepest, 0.01), 0])
    .nice(4)
    .range([bottom, top]);

  const parts = [key.svg];
  if (facts.longest.days > 0) {
    const start = axis.x(Math.max(facts.longest.start, 0));
    const end = axis.x(facts.longest.end);
    parts.push(
      el('rect', {
        class: 'longest-drawdown',
        x: start,
        y: top,
        width: Math.max(end - start, 1),
        height: bottom - top,
        fill: '#999',
        'fill-opacity': 0.15,
      }),
    );
  }
  parts.push(
    leftAxis(scaleTicks(y, 5, '%'), {
      x: x0,
      y0: top,
      y1: bottom,
      label: 'Below running peak',
      labelOffset: 52,
      gridTo: x1,
    }),
    seriesPath(
      'drawdown',
      seriesArea(
        dates.length,
        axis.x,
        y(0),
        (i) => y(-drawdowns[i]!),
        (i) => isPlottable(drawdowns[i]!),
      ),
      { fill: COLORS.drawdown, 'fill-opacity': 0.35, stroke: COLORS.drawdown, 'stroke-width': 0.8 },
    ),
  );
  if (benchmarkDrawdowns) {
    parts.push(
      seriesPath(
        'benchmark',
        seriesLine(
          dates.length,
          axis.x,
          (i) => y(-benchmarkDrawdowns[i]!),
          (i) => isPlottable(benchmarkDrawdowns[i]!),
        ),
        { fill: 'none', stroke: COLORS.benchmark, 'stroke-width': 1, 'stroke-opacity': 0.9 },
      ),
    );
  }
  if (facts.worstIndex >= 0) {
    const cx = axis.x(facts.worstIndex);
    const cy = y(-facts.worst);
    const label = `max ${formatPercent(-facts.worst)} on ${dates[facts.worstIndex]}`;
    const anchor = cx > (x0 + x1) / 2 ? 'end' : 'start';
    const labelWidth = textWidth(label, LABEL_FONT);
    const lx = anchor === 'end' ? cx - 8 - labelWidth : cx + 8;
    const ly = Math.min(cy + 4, bottom - 4);
    parts.push(
      // A white backing keeps the label legible over the curves
      el('rect', {
        x: lx - 3,
        y: ly - LABEL_FONT,
        width: labelWidth + 6,
        height: LABEL_FONT + 5,
        fill: '#fff',
        'fill-opacity': 0.85,
        rx: 2,
      }),
      el('circle', { class: 'marker', cx, cy, r: 3.5, fill: COLORS.drawdown }),
      text(lx, ly, label, { class: 'annotation', 'font-size': LABEL_FONT, fill: COLORS.text }),
    );
  }
  parts.push(
    el('line', { x1: x0, x2: x1, y1: y(0), y2: y(0), stroke: COLORS.axis }),
    dateAxisSvg(axis, bottom),
  );
  return chartDocument({ ...frame, height: bottom + BOTTOM }, parts.join(''));
}

/** Drawdown of a series with gaps: a gap stays a gap and the running peak carries over it. */
function gappedDrawdowns(values: ArrayLike<number>, initialCapital: number): Float64Array {
  const drawdowns = new Float64Array(values.length);
  let peak = initialCapital;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!isPlottable(value)) {
      drawdowns[i] = Number.NaN;
      continue;
    }
    if (value > peak) peak = value;
    drawdowns[i] = 1 - value / peak;
  }
  return drawdowns;
}
