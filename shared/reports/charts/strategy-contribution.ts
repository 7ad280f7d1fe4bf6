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
  seriesLine,
  seriesPath,
  valuesLine,
} from './common.js';
import { signedMoney } from './format.js';
import {
  COLORS,
  chartDocument,
  el,
  type LegendItem,
  legend,
  noDataChart,
  SERIES_PALETTE,
} from './svg.js';

/** One strategy's cumulative P&L: realised by its closed trades plus its open lots' unrealised. */
export interface StrategyContribution {
  readonly id: string;
  /** Dollars per date */
  readonly pnl: ArrayLike<number>;
  readonly trades: number;
}

/** Data of strategyContributionChart. */
export interface ContributionChartData {
  readonly dates: readonly string[];
  readonly strategies: readonly StrategyContribution[];
  /** Equity − initial capital per date: the sum of the strategies, drawn for comparison */
  readonly total?: ArrayLike<number> | null;
}

const BOTTOM = 48;
const TOTAL_COLOR = '#8a8a8a';

/** What each strategy added to (or took from) the account over time, in dollars. */
export function strategyContributionChart(
  data: ContributionChartData,
  options: ChartOptions = {},
): string {
  const { id, width } = frameOf('strategy-contribution', options);
  const { dates, strategies } = data;
  const total = data.total ?? null;
  const items: LegendItem[] = [];
  if (total) {
    items.push({ label: `All ${signedMoney(last(total))}`, color: TOTAL_COLOR, swatch: 'line' });
  }
  strategies.forEach((strategy, s) => {
    items.push({
      label: `${strategy.id} ${signedMoney(last(strategy.pnl))} (${strategy.trades} trades)`,
      color: SERIES_PALETTE[s % SERIES_PALETTE.length]!,
      swatch: 'line',
    });
  });
  const key = legend(items, 16, 64, width - MARGIN.right);
  const top = 64 + key.height + 4;
  const height = top + 220 + BOTTOM;
  const frame = {
    id,
    kind: 'strategy-contribution',
    title: 'Contribution by strategy',
    subtitle: 'Cumulative P&L: closed trades net of costs plus open lots at the close',
    width,
    height,
  };
  for (const strategy of strategies) assertAligned(dates, { [strategy.id]: strategy.pnl });
  if (total) assertAligned(dates, { total });
  if (dates.length < 2) {
    return noDataChart(frame, `a contribution needs 2 trading days, the run has ${dates.length}`);
  }
  if (strategies.length === 0) return noDataChart(frame, 'no strategy was enabled or traded');

  const x0 = MARGIN.left;
  const x1 = width - MARGIN.right;
  const bottom = height - BOTTOM;
  const axis = dateAxis(dates, x0, x1);
  const series = strategies.map((strategy) => strategy.pnl);
  const [low, high] = paddedExtent(total ? [...series, total] : series, 100, [0]) ?? [-100, 100];
  const y = scaleLinear().domain([low, high]).nice(5).range([bottom, top]);

  const parts = [
    key.svg,
    leftAxis(scaleTicks(y, 5, '$,.3~s'), {
      x: x0,
      y0: top,
      y1: bottom,
      label: 'P&L ($)',
      labelOffset: 58,
      gridTo: x1,
    }),
    el('line', { x1: x0, x2: x1, y1: y(0), y2: y(0), stroke: COLORS.axis }),
  ];
  if (total) {
    parts.push(
      seriesPath('total', valuesLine(total, axis.x, y), {
        fill: 'none',
        stroke: TOTAL_COLOR,
        'stroke-width': 1.2,
      }),
    );
  }
  strategies.forEach((strategy, s) => {
    parts.push(
      seriesPath(
        strategy.id,
        seriesLine(
          dates.length,
          axis.x,
          (i) => y(strategy.pnl[i]!),
          (i) => isPlottable(strategy.pnl[i]!),
        ),
        { fill: 'none', stroke: SERIES_PALETTE[s % SERIES_PALETTE.length], 'stroke-width': 1.6 },
      ),
    );
  });
  parts.push(dateAxisSvg(axis, bottom));
  return chartDocument(frame, parts.join(''));
}

function last(values: ArrayLike<number>): number {
  for (let i = values.length - 1; i >= 0; i--) if (isPlottable(values[i])) return values[i]!;
  return Number.NaN;
}
