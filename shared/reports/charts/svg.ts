// The SVG text every chart is written with: escaping, numbers that can never be NaN, the document
// frame (title, subtitle, white background, font) and the panel a chart draws when it has no data

/** The font every chart names; resvg must be given this font (see png.ts) or text falls back to serif. */
export const FONT_FAMILY = 'DejaVu Sans, Verdana, sans-serif';

/** Default size of a chart's viewBox: the width of an email body, and it scales down to 375 px. */
export const CHART_WIDTH = 640;

/** Colours shared by the charts, so a series looks the same in each. */
export const COLORS = {
  strategy: '#1f5fa8',
  benchmark: '#e08a00',
  drawdown: '#c0392b',
  positive: '#2e8b57',
  negative: '#c0392b',
  axis: '#444',
  grid: '#e4e4e4',
  text: '#222',
  muted: '#666',
} as const;

/** The palette of per-strategy series, in STRATEGY_IDS order. */
export const SERIES_PALETTE = [
  '#1f5fa8',
  '#e08a00',
  '#2e8b57',
  '#8e44ad',
  '#c0392b',
  '#17a2b8',
  '#7f6000',
];

/** Thrown when a chart would write a non-finite number or a path with NaN: a bug, not bad data. */
export class ChartRenderError extends Error {
  override name = 'ChartRenderError';
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for XML and HTML content and attribute values alike. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A coordinate or length for an attribute, rounded to 0.01; throws on NaN or Infinity. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new ChartRenderError(`non-finite number ${value} in a chart`);
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded); // No "-0"
}

/** Path data from a d3 generator; throws when it holds NaN, so no broken path ever reaches a file. */
export function pathData(d: string | null): string {
  if (d === null || d === '') return '';
  if (d.includes('NaN') || d.includes('undefined') || d.includes('Infinity')) {
    throw new ChartRenderError(`path data is not finite: ${d.slice(0, 80)}`);
  }
  return d;
}

type AttributeValue = string | number | undefined;

/** An element; numbers go through num() and strings are escaped, undefined attributes are left out. */
export function el(
  tag: string,
  attributes: Record<string, AttributeValue>,
  children?: string | readonly string[],
): string {
  let open = `<${tag}`;
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    open += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  if (children === undefined) return `${open}/>`;
  const inner = typeof children === 'string' ? children : children.join('');
  return `${open}>${inner}</${tag}>`;
}

/** A text element whose content is escaped. */
export function text(
  x: number,
  y: number,
  content: string,
  attributes: Record<string, AttributeValue> = {},
): string {
  return el('text', { x, y, ...attributes }, escapeXml(content));
}

/** A rough width of text in DejaVu Sans, whose glyphs average about 0.6 em; for layout only. */
export function textWidth(content: string, fontSize: number): number {
  return content.length * fontSize * 0.6;
}

/** What every chart document is made of. */
export interface ChartFrame {
  /** Unique within a page: ids of the title and description derive from it */
  readonly id: string;
  /** Which chart it is, e.g. 'equity'; written as data-chart */
  readonly kind: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly width: number;
  readonly height: number;
}

// Font sizes in viewBox units: a 640-wide chart on a 375 px phone shows 13 as about 7 px
export const TITLE_FONT = 18;
export const LABEL_FONT = 13;
export const TICK_FONT = 13;

/** The standalone SVG document of a chart: viewBox for scaling, width and height for PNG export. */
export function chartDocument(frame: ChartFrame, body: string, empty = false): string {
  const { id, kind, title, subtitle, width, height } = frame;
  const titleId = `${id}-title`;
  const head =
    el('title', { id: titleId }, escapeXml(subtitle ? `${title}: ${subtitle}` : title)) +
    el('rect', { x: 0, y: 0, width, height, fill: '#fff' }) +
    text(16, 24, title, {
      class: 'chart-title',
      'font-size': TITLE_FONT,
      'font-weight': 'bold',
      fill: COLORS.text,
    }) +
    (subtitle
      ? text(16, 44, subtitle, {
          class: 'chart-subtitle',
          'font-size': LABEL_FONT,
          fill: COLORS.muted,
        })
      : '');
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': titleId,
      'font-family': FONT_FAMILY,
      class: 'chart',
      'data-chart': kind,
      'data-empty': empty ? 'true' : undefined,
    },
    head + body,
  );
}

/** The panel a chart draws instead of an empty plot: its title and why there is nothing to show. */
export function noDataChart(frame: ChartFrame, message: string): string {
  const { width, height } = frame;
  const body =
    el('rect', {
      x: 16,
      y: 56,
      width: width - 32,
      height: Math.max(height - 72, 24),
      fill: '#f6f6f6',
      stroke: '#ddd',
      rx: 4,
    }) +
    text(width / 2, 56 + Math.max(height - 72, 24) / 2, `No data: ${message}`, {
      class: 'no-data',
      'text-anchor': 'middle',
      'dominant-baseline': 'middle',
      'font-size': 13,
      fill: COLORS.muted,
    });
  return chartDocument(frame, body, true);
}

/** One entry of a legend: a swatch and its label. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly swatch: 'line' | 'dash' | 'box';
}

/** A legend laid out left to right from (x, y), wrapping before maxX; returns the SVG and its height. */
export function legend(
  items: readonly LegendItem[],
  x: number,
  y: number,
  maxX: number,
): { svg: string; height: number } {
  const parts: string[] = [];
  let cx = x;
  let cy = y;
  for (const item of items) {
    const width = 22 + textWidth(item.label, LABEL_FONT) + 14;
    if (cx > x && cx + width > maxX) {
      cx = x;
      cy += 18;
    }
    const swatch =
      item.swatch === 'box'
        ? el('rect', {
            x: cx,
            y: cy - 9,
            width: 16,
            height: 10,
            fill: item.color,
            'fill-opacity': 0.6,
          })
        : el('line', {
            x1: cx,
            x2: cx + 16,
            y1: cy - 4,
            y2: cy - 4,
            stroke: item.color,
            'stroke-width': 2.5,
            'stroke-dasharray': item.swatch === 'dash' ? '5 3' : undefined,
          });
    parts.push(
      swatch + text(cx + 22, cy, item.label, { 'font-size': LABEL_FONT, fill: COLORS.text }),
    );
    cx += width;
  }
  return { svg: el('g', { class: 'legend' }, parts), height: cy - y + 18 };
}

/** Parses an ISO trading date as midnight UTC, so a time scale never shifts it by a time zone. */
export function utcDate(date: string): Date {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) throw new ChartRenderError(`not an ISO date: ${date}`);
  return parsed;
}
