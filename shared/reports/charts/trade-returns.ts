import { ascending, bin, max, mean, quantileSorted } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { bottomAxis, leftAxis, scaleTicks } from './axes.js';
import { type ChartOptions, frameOf, MARGIN } from './common.js';
import { formatPercent, signed } from './format.js';
import { COLORS, chartDocument, el, LABEL_FONT, noDataChart, text } from './svg.js';

/** Data of tradeReturnsChart: each closed trade's return on its entry notional, as a fraction. */
export interface TradeReturnsData {
  readonly returns: readonly number[];
}

/** Options of tradeReturnsChart. */
export interface TradeReturnsOptions extends ChartOptions {
  /** About how many bins; d3 picks round thresholds near it. Default 30 */
  readonly bins?: number;
}

const HEIGHT = 320;
const BOTTOM = 56;
// With this many trades the axis spans the 1st to 99th percentile, so a few outliers do not squeeze
// the distribution into three bars; the outliers are counted in the end bins
const CLIP_FROM = 100;

/** Histogram of closed-trade returns, losses red and gains green, with the mean and median. */
export function tradeReturnsChart(
  data: TradeReturnsData,
  options: TradeReturnsOptions = {},
): string {
  const { id, width } = frameOf('trade-returns', options);
  const values = data.returns.filter(Number.isFinite).sort(ascending);
  const n = values.length;
  const wins = values.filter((r) => r > 0).length;
  const average = mean(values) ?? Number.NaN;
  const median = quantileSorted(values, 0.5) ?? Number.NaN;
  const frame = {
    id,
    kind: 'trade-returns',
    title: 'Trade returns',
    subtitle:
      n === 0
        ? 'Return of each closed trade on its entry notional, net of costs'
        : `${n} trades · win rate ${formatPercent(wins / n)} · mean ${signed(average, 2)} · median ${signed(median, 2)}`,
    width,
    height: HEIGHT,
  };
  if (n === 0) return noDataChart(frame, 'the run closed no trades');

  const clip = n >= CLIP_FROM;
  let low = clip ? quantileSorted(values, 0.01)! : values[0]!;
  let high = clip ? quantileSorted(values, 0.99)! : values[n - 1]!;
  low = Math.min(low, 0);
  high = Math.max(high, 0);
  if (high - low < 1e-9) [low, high] = [low - 0.01, high + 0.01];
  const x0 = MARGIN.left;
  const x1 = width - MARGIN.right;
  const top = 66;
  const bottom = HEIGHT - BOTTOM;
  const binCount = options.bins ?? 30;
  const x = scaleLinear().domain([low, high]).nice(binCount).range([x0, x1]);
  const [from, to] = x.domain() as [number, number];
  let clipped = 0;
  const inRange = values.map((r) => {
    if (r < from || r > to) clipped++;
    return Math.min(Math.max(r, from), to);
  });
  const bins = bin()
    .domain([from, to])
    // A threshold at the domain's end would open an empty-width bin for the largest value
    .thresholds(x.ticks(binCount).filter((t) => t > from && t < to))(inRange);
  const y = scaleLinear()
    .domain([0, max(bins, (b) => b.length) ?? 1])
    .nice(5)
    .range([bottom, top]);

  const bars = bins
    .filter((b) => b.length > 0)
    .map((b) => {
      const left = x(b.x0!);
      const right = x(b.x1!);
      const color = b.x1! <= 0 ? COLORS.negative : b.x0! >= 0 ? COLORS.positive : '#999';
      return el('rect', {
        class: 'bar',
        x: left + 0.5,
        y: y(b.length),
        width: Math.max(right - left - 1, 0.5),
        height: bottom - y(b.length),
        fill: color,
        'fill-opacity': 0.8,
      });
    });
  const parts = [
    leftAxis(scaleTicks(y, 5, ',d'), {
      x: x0,
      y0: top,
      y1: bottom,
      label: 'Trades',
      labelOffset: 46,
      gridTo: x1,
    }),
    el('g', { class: 'series bars', 'data-series': 'trades', 'data-points': n }, bars),
    el('line', { x1: x(0), x2: x(0), y1: top, y2: bottom, stroke: COLORS.axis }),
  ];
  if (Number.isFinite(average) && average >= from && average <= to) {
    parts.push(
      el('line', {
        class: 'reference',
        x1: x(average),
        x2: x(average),
        y1: top,
        y2: bottom,
        stroke: COLORS.strategy,
        'stroke-dasharray': '4 3',
        'stroke-width': 1.5,
      }),
      text(x(average) + 4, top + 10, 'mean', { 'font-size': LABEL_FONT, fill: COLORS.strategy }),
    );
  }
  parts.push(
    bottomAxis(scaleTicks(x, 8, '%'), {
      y: bottom,
      x0,
      x1,
      label: clip
        ? `Return per trade (the ${clipped} beyond the 1st–99th percentile are in the end bins)`
        : 'Return per trade',
    }),
  );
  return chartDocument(frame, parts.join(''));
}
