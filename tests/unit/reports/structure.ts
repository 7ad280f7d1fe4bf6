// Structural checks of the charts' SVG and the tearsheet's HTML, without a DOM: tags balance,
// attributes hold finite numbers, every chart has its axes, labels and drawn points
import { expect } from 'vitest';

const VOID_HTML = new Set(['meta', 'input', 'br', 'img', 'link', 'hr', 'wbr']);
const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*(\/?)>/g;
const ATTRIBUTE = /([\w:-]+)="([^"]*)"/g;

/** Every element's tag balances, and no text or attribute holds a raw `<` or a bare `&`. */
export function expectWellFormed(markup: string, html = false): void {
  if (html) markup = markup.replace(/^<!doctype html>/i, '');
  const stack: string[] = [];
  let cursor = 0;
  for (const match of markup.matchAll(TAG)) {
    const between = markup.slice(cursor, match.index);
    // CSS in <style> may hold '>' (child combinators) and '~', never '<'
    expect(between, `raw "<" before ${match[0]}`).not.toMatch(/</);
    expect(between, `bare "&" before ${match[0]}`).not.toMatch(/&(?![a-zA-Z]+;|#\d+;)/);
    cursor = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    const tag = name!.toLowerCase();
    if (closing) {
      expect(stack.pop(), `</${tag}> closes the wrong element`).toBe(tag);
    } else if (!selfClosing && !(html && VOID_HTML.has(tag))) {
      stack.push(tag);
    }
  }
  expect(stack, 'unclosed elements').toEqual([]);
}

/** All attributes of the markup, as [name, value] pairs. */
export function attributesOf(markup: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const tag of markup.matchAll(TAG)) {
    for (const [, name, value] of tag[3]!.matchAll(ATTRIBUTE)) pairs.push([name!, value!]);
  }
  return pairs;
}

/** No attribute (a path's d, a coordinate, a colour) holds NaN, undefined, null or Infinity. */
export function expectFiniteAttributes(markup: string): void {
  for (const [name, value] of attributesOf(markup)) {
    expect(`${name}="${value}"`).not.toMatch(/NaN|undefined|null|Infinity/);
  }
}

/** The SVG documents in a page (or the one chart), in order. */
export function svgsOf(markup: string): string[] {
  return [...markup.matchAll(/<svg\b[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** What a chart says about itself. */
export interface ChartFacts {
  readonly kind: string;
  readonly empty: boolean;
  readonly title: string;
  /** data-points of each drawn series */
  readonly points: number[];
  readonly xTicks: number;
  readonly yTicks: number;
  readonly tickLabels: string[];
  readonly axisLabels: string[];
}

/** Reads a chart's kind, title, series, axes and labels from its SVG. */
export function chartFacts(svg: string): ChartFacts {
  const root = /^<svg\b[^>]*>/.exec(svg)![0];
  const texts = (cls: string) =>
    [...svg.matchAll(new RegExp(`<text[^>]*class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map(
      (m) => m[1]!,
    );
  const ticksOf = (axis: string) =>
    [...svg.matchAll(new RegExp(`class="axis ${axis}" data-ticks="(\\d+)"`, 'g'))].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  return {
    kind: attribute(root, 'data-chart') ?? '',
    empty: attribute(root, 'data-empty') === 'true',
    title: texts('chart-title')[0] ?? '',
    points: [...svg.matchAll(/class="series[^"]*"[^>]*data-points="(\d+)"/g)].map((m) =>
      Number(m[1]),
    ),
    xTicks: ticksOf('x-axis'),
    yTicks: ticksOf('y-axis'),
    tickLabels: texts('tick'),
    axisLabels: texts('axis-label'),
  };
}

/**
 * A valid chart: a standalone, well-formed SVG with a viewBox, a title and DejaVu Sans, finite
 * attributes throughout, and either drawn data with both axes and their labels or a "No data" panel.
 */
export function expectValidChart(svg: string): ChartFacts {
  expectWellFormed(svg);
  expectFiniteAttributes(svg);
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  expect(root).toMatch(/\sxmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(root).toMatch(/\sviewBox="0 0 \d+(\.\d+)? \d+(\.\d+)?"/);
  expect(root).toMatch(/\sfont-family="DejaVu Sans[^"]*"/);
  expect(svg).toMatch(/<title id="[^"]+">[^<]+<\/title>/);
  const facts = chartFacts(svg);
  expect(facts.title).not.toBe('');
  if (facts.empty) {
    expect(svg).toMatch(/class="no-data"[^>]*>No data: [^<]+</);
    return facts;
  }
  expect(facts.points.length, `${facts.kind}: a drawn series`).toBeGreaterThan(0);
  expect(Math.max(...facts.points), `${facts.kind}: data points`).toBeGreaterThan(0);
  expect(facts.xTicks, `${facts.kind}: x axis ticks`).toBeGreaterThan(0);
  expect(facts.yTicks, `${facts.kind}: y axis ticks`).toBeGreaterThan(0);
  expect(facts.tickLabels.filter((label) => label.trim() !== '').length).toBeGreaterThan(1);
  return facts;
}
