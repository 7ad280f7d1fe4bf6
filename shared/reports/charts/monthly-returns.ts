import { max } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { bandTicks, bottomAxis, leftAxis } from './axes.js';
import { assertAligned, type ChartOptions, frameOf } from './common.js';
import {
  COLORS,
  chartDocument,
  el,
  LABEL_FONT,
  noDataChart,
  TICK_FONT,
  text,
  textWidth,
} from './svg.js';

/** The return of each calendar month and year of an equity curve. */
export interface MonthlyReturns {
  /** Calendar years, ascending */
  readonly years: readonly string[];
  /** By 'YYYY-MM': last close of the month over the last close before it (or the capital) − 1 */
  readonly months: ReadonlyMap<string, number>;
  /** By 'YYYY', compounded the same way */
  readonly yearly: ReadonlyMap<string, number>;
}

/** Monthly and yearly returns; a partial first or last month is measured over the days it has. */
export function monthlyReturns(
  dates: readonly string[],
  equity: ArrayLike<number>,
  initialCapital: number,
): MonthlyReturns {
  assertAligned(dates, { equity });
  const months = new Map<string, number>();
  const yearly = new Map<string, number>();
  let monthStart = initialCapital;
  let yearStart = initialCapital;
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i]!;
    const next = dates[i + 1];
    const value = equity[i]!;
    if (next === undefined || next.slice(0, 7) !== date.slice(0, 7)) {
      months.set(date.slice(0, 7), value / monthStart - 1);
      monthStart = value;
    }
    if (next === undefined || next.slice(0, 4) !== date.slice(0, 4)) {
      yearly.set(date.slice(0, 4), value / yearStart - 1);
      yearStart = value;
    }
  }
  return { years: [...yearly.keys()], months, yearly };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const YEAR_COLUMN = 'Year';
const ROW = 26;
const TOP = 62;
const BOTTOM = 70;
const LEFT = 56;
const CELL_FONT = 12;

/** Data of monthlyReturnsChart: an equity curve. */
export interface MonthlyReturnsData {
  readonly dates: readonly string[];
  readonly equity: ArrayLike<number>;
  readonly initialCapital: number;
}

/** Month-by-year heatmap of returns, with each year's total in its own column and colour scale. */
export function monthlyReturnsChart(data: MonthlyReturnsData, options: ChartOptions = {}): string {
  const { id, width } = frameOf('monthly-returns', options);
  const returns = monthlyReturns(data.dates, data.equity, data.initialCapital);
  const height = TOP + Math.max(returns.years.length, 1) * ROW + BOTTOM;
  const frame = {
    id,
    kind: 'monthly-returns',
    title: 'Monthly returns',
    subtitle: 'Per cent; a partial first or last month counts the days it has',
    width,
    height,
  };
  const finite = [...returns.months.values()].filter(Number.isFinite);
  if (finite.length === 0) return noDataChart(frame, 'the run has no trading days');

  const x = scaleBand<string>()
    .domain([...MONTHS, YEAR_COLUMN])
    .range([LEFT, width - 20])
    .paddingInner(0.06);
  const y = scaleBand<string>()
    .domain(returns.years)
    .range([TOP, TOP + returns.years.length * ROW])
    .paddingInner(0.08);
  const monthColor = divergingColor(max(finite, Math.abs) ?? 0);
  const yearColor = divergingColor(
    max([...returns.yearly.values()].filter(Number.isFinite), Math.abs) ?? 0,
  );

  const cells: string[] = [];
  let filled = 0;
  for (const year of returns.years) {
    const top = y(year)!;
    for (let m = 0; m < 12; m++) {
      const left = x(MONTHS[m]!)!;
      const value = returns.months.get(`${year}-${String(m + 1).padStart(2, '0')}`);
      if (value !== undefined && Number.isFinite(value)) filled++;
      cells.push(cell(left, top, x.bandwidth(), y.bandwidth(), value, monthColor));
    }
    cells.push(
      cell(x(YEAR_COLUMN)!, top, x.bandwidth(), y.bandwidth(), returns.yearly.get(year), yearColor),
    );
  }
  const bottom = TOP + returns.years.length * ROW;
  const body = [
    el('g', { class: 'series cells', 'data-series': 'months', 'data-points': filled }, cells),
    bottomAxis(bandTicks(x), { y: bottom + 2, x0: LEFT, x1: width - 20, tickLines: false }),
    leftAxis(bandTicks(y), { x: LEFT - 2, y0: TOP, y1: bottom, tickLines: false }),
    scaleKey(monthColor.domain()[2] ?? 0, width, bottom + 34),
  ].join('');
  return chartDocument(frame, body);
}

type Diverging = ReturnType<typeof divergingColor>;

/** Red below zero, green above, white at zero, saturated at ±largest. */
function divergingColor(largest: number) {
  const m = largest > 0 ? largest : 0.01;
  return scaleLinear<string>()
    .domain([-m, 0, m])
    .range([COLORS.negative, '#f7f7f7', COLORS.positive])
    .clamp(true);
}

function cell(
  x: number,
  y: number,
  width: number,
  height: number,
  value: number | undefined,
  color: Diverging,
): string {
  if (value === undefined || !Number.isFinite(value)) {
    return el('rect', {
      class: 'cell empty',
      x,
      y,
      width,
      height,
      fill: '#fafafa',
      stroke: '#eee',
    });
  }
  const m = color.domain()[2]!;
  const strong = Math.abs(value) / m > 0.6;
  const label = (value * 100).toFixed(1);
  const fontSize = textWidth(label, CELL_FONT) > width - 4 ? 10 : CELL_FONT;
  return (
    el('rect', { class: 'cell', x, y, width, height, fill: color(value) }) +
    text(x + width / 2, y + height / 2 + 4, label === '-0.0' ? '0.0' : label, {
      'text-anchor': 'middle',
      'font-size': fontSize,
      fill: strong ? '#fff' : COLORS.text,
    })
  );
}

/** Swatches at d3's ticks of the month scale, so a colour reads as a number. */
function scaleKey(largest: number, width: number, y: number): string {
  const scale = scaleLinear().domain([-largest, largest]);
  const format = scale.tickFormat(4, '%');
  const color = divergingColor(largest);
  const parts = [
    text(16, y + 10, 'Month colour:', { 'font-size': LABEL_FONT, fill: COLORS.muted }),
  ];
  let x = 110;
  for (const tick of scale.ticks(4)) {
    const label = format(tick);
    if (x + 18 + textWidth(label, TICK_FONT) > width - 16) break;
    parts.push(
      el('rect', { x, y, width: 14, height: 12, fill: color(tick), stroke: '#ccc' }),
      text(x + 18, y + 10, label, { 'font-size': TICK_FONT, fill: COLORS.text }),
    );
    x += 18 + textWidth(label, TICK_FONT) + 14;
  }
  return el('g', { class: 'legend' }, parts);
}
