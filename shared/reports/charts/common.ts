import { extent } from 'd3-array';
import { type ScaleTime, scaleUtc } from 'd3-scale';
import { area, type CurveFactory, curveLinear, line } from 'd3-shape';
import { utcFormat } from 'd3-time-format';
import { type AxisTick, bottomAxis, scaleTicks } from './axes.js';
import { CHART_WIDTH, el, pathData, utcDate } from './svg.js';

/** Options every chart takes. */
export interface ChartOptions {
  /** Unique within a page (ids derive from it); defaults to the chart's kind */
  readonly id?: string;
  /** viewBox width in px; defaults to CHART_WIDTH */
  readonly width?: number;
}

/** Plot-area margins shared by the time-series charts: room for the y labels and the date axis. */
export const MARGIN = { left: 72, right: 20 } as const;

/** The x of a day, by its index in `dates`. */
export interface DateAxis {
  readonly scale: ScaleTime<number, number>;
  /** The days themselves, in order */
  readonly dates: readonly Date[];
  readonly x: (index: number) => number;
  readonly x0: number;
  readonly x1: number;
}

/** A UTC time scale over the dates, from x0 to x1 px. */
export function dateAxis(dates: readonly string[], x0: number, x1: number): DateAxis {
  const parsed = dates.map(utcDate);
  const [first, last] = extent(parsed) as [Date, Date];
  const scale = scaleUtc().domain([first, last]).range([x0, x1]);
  return { scale, dates: parsed, x: (index) => scale(parsed[index]!), x0, x1 };
}

// Under about two months, calendar ticks land on weekends and, for a few days, on hours: tick
// the trading days themselves instead
const SHORT_RANGE_MS = 62 * 86_400_000;
const dayLabel = utcFormat('%b %-d');

/** The date axis at y, ticks chosen for the room it has: calendar ticks, or trading days. */
export function dateTicks(axis: DateAxis): AxisTick[] {
  const count = Math.max(2, Math.floor((axis.x1 - axis.x0) / 90));
  const [first, last] = axis.scale.domain() as [Date, Date];
  if (last.getTime() - first.getTime() >= SHORT_RANGE_MS) return scaleTicks(axis.scale, count);
  const every = Math.ceil(axis.dates.length / count);
  return axis.dates
    .filter((_, i) => i % every === 0)
    .map((date) => ({ position: axis.scale(date), label: dayLabel(date) }));
}

/** A bottom date axis at y, with an optional label. */
export function dateAxisSvg(axis: DateAxis, y: number, label?: string): string {
  return bottomAxis(dateTicks(axis), { y, x0: axis.x0, x1: axis.x1, ...(label && { label }) });
}

/** The width to use and the id prefix of a chart. */
export function frameOf(kind: string, options: ChartOptions): { id: string; width: number } {
  return { id: options.id ?? kind, width: options.width ?? CHART_WIDTH };
}

/** A number that can be plotted: finite; NaN, null and Infinity are gaps. */
export const isPlottable = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * A line through the days of a series where `defined` holds, broken at the others; returns the path
 * and how many points it drew, so a test (and a reader) can tell an empty series from a drawn one.
 */
export function seriesLine(
  count: number,
  x: (index: number) => number,
  y: (index: number) => number,
  defined: (index: number) => boolean,
  curve: CurveFactory = curveLinear,
): { d: string; points: number } {
  let points = 0;
  for (let i = 0; i < count; i++) if (defined(i)) points++;
  const d = line<number>()
    .defined((i) => defined(i))
    .x(x)
    .y(y)
    .curve(curve)
    .digits(1)(indices(count));
  return { d: pathData(d), points };
}

/** The line of one value per day, broken where a value is missing or not finite. */
export function valuesLine(
  values: ArrayLike<number | null | undefined>,
  x: (index: number) => number,
  y: (value: number) => number,
): { d: string; points: number } {
  return seriesLine(
    values.length,
    x,
    (i) => y(values[i] as number),
    (i) => isPlottable(values[i]),
  );
}

/** The area between y0 and y(i) over the days where `defined` holds. */
export function seriesArea(
  count: number,
  x: (index: number) => number,
  y0: number,
  y: (index: number) => number,
  defined: (index: number) => boolean,
): { d: string; points: number } {
  let points = 0;
  for (let i = 0; i < count; i++) if (defined(i)) points++;
  const d = area<number>()
    .defined((i) => defined(i))
    .x(x)
    .y0(y0)
    .y1(y)
    .digits(1)(indices(count));
  return { d: pathData(d), points };
}

/** A drawn series: its path with the count of points it holds, as data-points. */
export function seriesPath(
  name: string,
  drawn: { d: string; points: number },
  style: Record<string, string | number | undefined>,
): string {
  return el('path', {
    class: 'series',
    'data-series': name,
    'data-points': drawn.points,
    d: drawn.d,
    ...style,
  });
}

function indices(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** The finite extent of some series, widened to `minHalfSpan` either side when it is one value. */
export function paddedExtent(
  series: readonly ArrayLike<number>[],
  minHalfSpan: number,
  include: readonly number[] = [],
): [number, number] | undefined {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const values of series) {
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (!Number.isFinite(value)) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  if (low > high) return undefined;
  for (const value of include) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (high - low < minHalfSpan * 1e-6) return [low - minHalfSpan, high + minHalfSpan];
  return [low, high];
}

/** Consecutive runs of equal values: [value, first index, last index]. */
export function runsOf<T>(values: readonly T[]): { value: T; start: number; end: number }[] {
  const runs: { value: T; start: number; end: number }[] = [];
  for (let i = 0; i < values.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.value === values[i]) last.end = i;
    else runs.push({ value: values[i]!, start: i, end: i });
  }
  return runs;
}

/** Validates that a series has one value per date; a mismatch is a caller's bug. */
export function assertAligned(
  dates: readonly string[],
  series: Record<string, ArrayLike<unknown>>,
): void {
  for (const [name, values] of Object.entries(series)) {
    if (values.length !== dates.length) {
      throw new RangeError(`${name} has ${values.length} values for ${dates.length} dates`);
    }
  }
}
