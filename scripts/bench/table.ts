/** Rows of out/bench.json and the plain-text tables printed from them. */

/** Lower is better for seconds, milliseconds and MB, higher for throughputs. */
export type Unit = 's' | 'ms' | 'MB' | 'M bars/s' | 'M symbol-bars/s' | 'days/s' | '×';

/** One line of out/bench.json. */
export interface BenchRow {
  readonly name: string;
  readonly unit: Unit;
  readonly ours: number | null;
  /** The library compared against, 'target' for a goal, null when there is nothing to compare */
  readonly peer: string | null;
  readonly peerValue: number | null;
  /** How many times better ours is: above 1 is better, null without both numbers */
  readonly ratio: number | null;
}

const lowerIsBetter = (unit: Unit) => unit === 's' || unit === 'ms' || unit === 'MB';

/** How many times better `ours` is than `peerValue` in this unit. */
export function ratioOf(unit: Unit, ours: number | null, peerValue: number | null): number | null {
  if (ours === null || peerValue === null || !(ours > 0) || !(peerValue > 0)) return null;
  return lowerIsBetter(unit) ? peerValue / ours : ours / peerValue;
}

/** A row with its ratio filled in. */
export function row(
  name: string,
  unit: Unit,
  ours: number | null,
  peer: string | null,
  peerValue: number | null,
): BenchRow {
  return { name, unit, ours, peer, peerValue, ratio: ratioOf(unit, ours, peerValue) };
}

/** Three significant digits, or thousands without decimals; a dash for nothing. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const size = Math.abs(value);
  if (size >= 1000) return Math.round(value).toLocaleString('en-US');
  if (size >= 100) return value.toFixed(0);
  if (size >= 10) return value.toFixed(1);
  if (size >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** A ratio as "12.3×", a dash without one. */
export function formatRatio(ratio: number | null): string {
  return ratio === null ? '—' : `${formatNumber(ratio)}×`;
}

/** A monospace table: the first column left-aligned, the others right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((header, c) =>
    Math.max(header.length, ...rows.map((cells) => (cells[c] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** The same table as Markdown, for docs/performance.md. */
export function formatMarkdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = `|${headers.map((_, c) => (c === 0 ? ' --- ' : ' ---: ')).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Rows as the cells of a measurement table: name, unit, ours, peer, peer value, ratio. */
export const benchCells = (rows: readonly BenchRow[]): string[][] =>
  rows.map((r) => [
    r.name,
    r.unit,
    formatNumber(r.ours),
    r.peer ?? '—',
    formatNumber(r.peerValue),
    formatRatio(r.ratio),
  ]);
