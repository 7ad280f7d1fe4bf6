import { COLORS, el, LABEL_FONT, num, TICK_FONT, text } from './svg.js';

/** A tick: where it sits on the axis, in pixels, and its label. */
export interface AxisTick {
  readonly position: number;
  readonly label: string;
}

/** What the axes need of a d3 scale: its mapping, its ticks and their format. */
export interface TickingScale<T> {
  (value: T): number | undefined;
  ticks(count?: number): T[];
  tickFormat(count?: number, specifier?: string): (d: T) => string;
}

/** Ticks and labels chosen by a d3 scale (its own tick and format logic, nothing hand-rolled). */
export function scaleTicks<T>(
  scale: TickingScale<T>,
  count: number,
  format: string | ((value: T) => string) | undefined = undefined,
): AxisTick[] {
  const values = scale.ticks(count);
  const label = typeof format === 'function' ? format : scale.tickFormat(count, format);
  const ticks: AxisTick[] = [];
  for (const value of values) {
    const position = scale(value);
    if (position === undefined || !Number.isFinite(position)) continue;
    // An SI format gives every tick the prefix of the largest: zero reads "$0", not "$0k"
    const text =
      value === 0 ? label(value).replace(/^([^0-9]*)0(\.0*)?[kMGT]$/, '$10') : label(value);
    ticks.push({ position, label: text });
  }
  return ticks;
}

/** Ticks at the centre of each band of a d3 band scale. */
export function bandTicks(
  scale: { (value: string): number | undefined; bandwidth(): number; domain(): string[] },
  label: (value: string) => string = (value) => value,
): AxisTick[] {
  const ticks: AxisTick[] = [];
  for (const value of scale.domain()) {
    const start = scale(value);
    if (start === undefined) continue;
    ticks.push({ position: start + scale.bandwidth() / 2, label: label(value) });
  }
  return ticks;
}

/** A horizontal axis along y from x0 to x1, ticks pointing down, with an optional label below. */
export function bottomAxis(
  ticks: readonly AxisTick[],
  options: { y: number; x0: number; x1: number; label?: string; tickLines?: boolean },
): string {
  const { y, x0, x1, label, tickLines = true } = options;
  const parts = [el('line', { x1: x0, x2: x1, y1: y, y2: y, stroke: COLORS.axis })];
  for (const tick of ticks) {
    if (tickLines) {
      parts.push(
        el('line', { x1: tick.position, x2: tick.position, y1: y, y2: y + 5, stroke: COLORS.axis }),
      );
    }
    // A log scale's format leaves some ticks unlabelled
    if (tick.label === '') continue;
    parts.push(
      text(tick.position, y + 19, tick.label, {
        class: 'tick',
        'text-anchor': 'middle',
        'font-size': TICK_FONT,
        fill: COLORS.axis,
      }),
    );
  }
  if (label) {
    parts.push(
      text((x0 + x1) / 2, y + 38, label, {
        class: 'axis-label',
        'text-anchor': 'middle',
        'font-size': LABEL_FONT,
        fill: COLORS.text,
      }),
    );
  }
  return el('g', { class: 'axis x-axis', 'data-ticks': ticks.length }, parts);
}

/**
 * A vertical axis at x from y0 (top) to y1 (bottom), ticks pointing left, with a rotated label
 * `labelOffset` px left of it and, when gridTo is given, grid lines across to that x.
 */
export function leftAxis(
  ticks: readonly AxisTick[],
  options: {
    x: number;
    y0: number;
    y1: number;
    label?: string;
    labelOffset?: number;
    gridTo?: number;
    tickLines?: boolean;
  },
): string {
  const { x, y0, y1, label, labelOffset = 50, gridTo, tickLines = true } = options;
  const parts: string[] = [];
  if (gridTo !== undefined) {
    for (const tick of ticks) {
      parts.push(
        el('line', {
          class: 'grid',
          x1: x,
          x2: gridTo,
          y1: tick.position,
          y2: tick.position,
          stroke: COLORS.grid,
        }),
      );
    }
  }
  parts.push(el('line', { x1: x, x2: x, y1: y0, y2: y1, stroke: COLORS.axis }));
  for (const tick of ticks) {
    if (tickLines) {
      parts.push(
        el('line', { x1: x - 5, x2: x, y1: tick.position, y2: tick.position, stroke: COLORS.axis }),
      );
    }
    if (tick.label === '') continue;
    parts.push(
      text(x - 8, tick.position + 4.5, tick.label, {
        class: 'tick',
        'text-anchor': 'end',
        'font-size': TICK_FONT,
        fill: COLORS.axis,
      }),
    );
  }
  if (label) {
    const lx = x - labelOffset;
    const ly = (y0 + y1) / 2;
    parts.push(
      text(lx, ly, label, {
        class: 'axis-label',
        'text-anchor': 'middle',
        'font-size': LABEL_FONT,
        fill: COLORS.text,
        transform: `rotate(-90 ${num(lx)} ${num(ly)})`,
      }),
    );
  }
  return el('g', { class: 'axis y-axis', 'data-ticks': ticks.length }, parts);
}
