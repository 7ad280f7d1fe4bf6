import { scaleLinear } from 'd3-scale';
import { curveStepAfter } from 'd3-shape';
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
  runsOf,
  seriesArea,
  seriesLine,
  seriesPath,
  valuesLine,
} from './common.js';
import {
  COLORS,
  chartDocument,
  el,
  LABEL_FONT,
  type LegendItem,
  legend,
  noDataChart,
  text,
} from './svg.js';

export type RegimeName = 'low' | 'normal' | 'high';
export type TradingStateName = 'ACTIVE' | 'REDUCING' | 'HALTED';

/** Data of exposureChart, one value per trading date. */
export interface ExposureChartData {
  readonly dates: readonly string[];
  /** Market value of the open lots at the close, dollars */
  readonly exposure: ArrayLike<number>;
  /** Exposure / equity */
  readonly heat: ArrayLike<number>;
  readonly regime: readonly RegimeName[];
  readonly tradingState: readonly TradingStateName[];
  /** The regimes' caps on heat, drawn as a step line; omitted, no cap is drawn */
  readonly maxHeat?: Readonly<Record<RegimeName, number>> | null;
}

/** Background of each volatility regime. */
export const REGIME_COLORS: Record<RegimeName, string> = {
  low: '#d9ecd9',
  normal: '#f1e6c4',
  high: '#f5cccc',
};
/** Marks of the trading states that hold entries back. */
export const STATE_COLORS: Record<Exclude<TradingStateName, 'ACTIVE'>, string> = {
  REDUCING: '#e67e22',
  HALTED: '#8b0000',
};

const BOTTOM = 48;
const EXPOSURE_HEIGHT = 100;
const HEAT_HEIGHT = 140;
const GAP = 26;
const STRIP = 12;
// Heat flips day to day as short holds open and close; a month's mean shows the level
const AVERAGE_DAYS = 21;

/**
 * Exposure in dollars and heat against the regime's cap, over the regime as background shading,
 * with the days the trading state was REDUCING or HALTED marked in a strip above and across both.
 */
export function exposureChart(data: ExposureChartData, options: ChartOptions = {}): string {
  const { id, width } = frameOf('exposure', options);
  const { dates, exposure, heat, regime, tradingState } = data;
  const maxHeat = data.maxHeat ?? null;
  assertAligned(dates, { exposure, heat, regime, tradingState });

  const counts = { REDUCING: 0, HALTED: 0 };
  for (const state of tradingState) if (state !== 'ACTIVE') counts[state]++;
  const items: LegendItem[] = [
    { label: 'Daily', color: COLORS.strategy, swatch: 'box' },
    { label: `${AVERAGE_DAYS}-day mean`, color: COLORS.strategy, swatch: 'line' },
    ...(maxHeat ? [{ label: 'Heat cap', color: '#333', swatch: 'dash' as const }] : []),
    ...(['low', 'normal', 'high'] as const).map((name) => ({
      label: `${name} vol`,
      color: darker(REGIME_COLORS[name]),
      swatch: 'box' as const,
    })),
    ...(['REDUCING', 'HALTED'] as const).map((state) => ({
      label: `${state.toLowerCase()} (${counts[state]} d)`,
      color: STATE_COLORS[state],
      swatch: 'box' as const,
    })),
  ];
  const key = legend(items, 16, 64, width - MARGIN.right);
  const strip = 64 + key.height + 2;
  const top = strip + STRIP + 6;
  const exposureBottom = top + EXPOSURE_HEIGHT;
  const heatTop = exposureBottom + GAP;
  const heatBottom = heatTop + HEAT_HEIGHT;
  const height = heatBottom + BOTTOM;
  const frame = {
    id,
    kind: 'exposure',
    title: 'Exposure and heat',
    subtitle: 'Market value of open lots; heat is that over equity. Shading: volatility regime',
    width,
    height,
  };
  if (dates.length < 2) {
    return noDataChart(
      frame,
      `exposure over time needs 2 trading days, the run has ${dates.length}`,
    );
  }

  const x0 = MARGIN.left;
  const x1 = width - MARGIN.right;
  const axis = dateAxis(dates, x0, x1);
  // A run of days spans from its first day to the next run's first day
  const spanOf = (start: number, end: number) => {
    const left = axis.x(start);
    const right = end + 1 < dates.length ? axis.x(end + 1) : axis.x(end);
    return { left, width: Math.max(right - left, 1.5) };
  };

  const [, exposureHigh] = paddedExtent([exposure], 1000, [0]) ?? [0, 1000];
  const yExposure = scaleLinear().domain([0, exposureHigh]).nice(3).range([exposureBottom, top]);
  const caps = maxHeat ? Object.values(maxHeat) : [];
  const [, heatHigh] = paddedExtent([heat], 0.05, [0, ...caps]) ?? [0, 0.1];
  const yHeat = scaleLinear().domain([0, heatHigh]).nice(4).range([heatBottom, heatTop]);

  const exposureMean = trailingMean(exposure, AVERAGE_DAYS);
  const heatMean = trailingMean(heat, AVERAGE_DAYS);
  const parts = [key.svg];
  const shading = runsOf(regime).map((run) => {
    const { left, width: w } = spanOf(run.start, run.end);
    return el('rect', {
      x: left,
      y: top,
      width: w,
      height: heatBottom - top,
      fill: REGIME_COLORS[run.value],
    });
  });
  parts.push(el('g', { class: 'regimes', 'data-runs': shading.length }, shading));

  const marks: string[] = [];
  for (const run of runsOf(tradingState)) {
    if (run.value === 'ACTIVE') continue;
    const { left, width: w } = spanOf(run.start, run.end);
    const color = STATE_COLORS[run.value];
    marks.push(
      el('rect', { x: left, y: strip, width: w, height: STRIP, fill: color }),
      el('rect', {
        x: left,
        y: top,
        width: w,
        height: heatBottom - top,
        fill: color,
        'fill-opacity': 0.3,
      }),
    );
  }
  parts.push(
    text(x0 - 6, strip + STRIP - 2, 'State', {
      'text-anchor': 'end',
      'font-size': LABEL_FONT - 1,
      fill: COLORS.muted,
    }),
    el('rect', {
      x: x0,
      y: strip,
      width: x1 - x0,
      height: STRIP,
      fill: '#f4f4f4',
      stroke: '#ddd',
    }),
    el('g', { class: 'trading-states', 'data-marks': marks.length / 2 }, marks),
    // The shading spans both panels in one rect per run; the gap between them stays blank
    el('rect', {
      x: x0 - 1,
      y: exposureBottom + 0.5,
      width: x1 - x0 + 2,
      height: GAP - 1,
      fill: '#fff',
    }),
    leftAxis(scaleTicks(yExposure, 3, '$,.2~s'), {
      x: x0,
      y0: top,
      y1: exposureBottom,
      label: 'Exposure ($)',
      labelOffset: 58,
      gridTo: x1,
    }),
    seriesPath(
      'exposure',
      seriesArea(
        dates.length,
        axis.x,
        yExposure(0),
        (i) => yExposure(exposure[i]!),
        (i) => isPlottable(exposure[i]!),
      ),
      { fill: COLORS.strategy, 'fill-opacity': 0.22 },
    ),
    seriesPath('exposure-mean', valuesLine(exposureMean, axis.x, yExposure), {
      fill: 'none',
      stroke: COLORS.strategy,
      'stroke-width': 1.4,
    }),
    leftAxis(scaleTicks(yHeat, 4, '%'), {
      x: x0,
      y0: heatTop,
      y1: heatBottom,
      label: 'Heat',
      labelOffset: 58,
      gridTo: x1,
    }),
  );
  if (maxHeat) {
    parts.push(
      seriesPath(
        'cap',
        seriesLine(
          dates.length,
          axis.x,
          (i) => yHeat(maxHeat[regime[i]!]),
          (i) => isPlottable(maxHeat[regime[i]!]),
          curveStepAfter,
        ),
        { fill: 'none', stroke: '#333', 'stroke-width': 1, 'stroke-dasharray': '4 3' },
      ),
    );
  }
  parts.push(
    seriesPath(
      'heat',
      seriesArea(
        dates.length,
        axis.x,
        yHeat(0),
        (i) => yHeat(heat[i]!),
        (i) => isPlottable(heat[i]!),
      ),
      { fill: COLORS.strategy, 'fill-opacity': 0.22 },
    ),
    seriesPath('heat-mean', valuesLine(heatMean, axis.x, yHeat), {
      fill: 'none',
      stroke: COLORS.strategy,
      'stroke-width': 1.4,
    }),
    dateAxisSvg(axis, heatBottom),
  );
  return chartDocument(frame, parts.join(''));
}

/** Mean of the trailing `window` values, skipping non-finite ones, from the first full window on. */
function trailingMean(values: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const entering = values[i]!;
    if (Number.isFinite(entering)) {
      sum += entering;
      count++;
    }
    const leaving = i >= window ? values[i - window]! : Number.NaN;
    if (Number.isFinite(leaving)) {
      sum -= leaving;
      count--;
    }
    if (i >= window - 1 && count > 0) out[i] = sum / count;
  }
  return out;
}

/** The legend's swatch of a shading colour, drawn at 60 % opacity: a little darker to read. */
function darker(color: string): string {
  return scaleLinear<string>().domain([0, 1]).range([color, '#888'])(0.25);
}
