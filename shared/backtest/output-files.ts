import type { ClosedTrade } from '../domain/model.js';
import type { ReportArtifact } from '../steps/documents.js';
import type { BacktestRun } from './engine.js';
import type { OrderLogRow } from './order-log.js';
import type { BacktestSummary } from './summary.js';

// RFC 4180: quote a field holding a comma, quote or newline, doubling its quotes
const NEEDS_QUOTES = /[",\n\r]/;

/** A text cell; null is an empty cell. */
export function csvText(value: string | null): string {
  if (value === null) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A number cell, with enough digits to reconcile to the cent after summing thousands of rows but
 * without float noise: `String(Number(x.toPrecision(12)))`, the shortest text of x rounded to 12
 * significant digits; null is an empty cell.
 */
export function csvNumber(value: number | null): string {
  if (value === null) return '';
  if (Number.isInteger(value)) return String(value);
  const rounded = value.toPrecision(12);
  // Exponent notation, 12-digit whole numbers, NaN and Infinity take the slow road. Otherwise
  // `rounded` is a fixed-point decimal of at most 12 significant digits, and a double keeps 15, so
  // the shortest text that reads back as Number(rounded) is `rounded` without its trailing zeros.
  // Stripping them skips parsing the text back and printing the double again, which together
  // cost twice as much as toPrecision
  if (rounded.includes('e') || !rounded.includes('.')) return String(Number(rounded));
  let end = rounded.length;
  while (rounded.charCodeAt(end - 1) === 48) end--; // '0'
  if (rounded.charCodeAt(end - 1) === 46) end--; // '.'
  return rounded.slice(0, end);
}

// Big enough that a file takes few writes, small enough that no file is held whole in memory
// (orders.csv is 2 MB for ten years); 16 KB and 256 KB chunks were both slower
const CHUNK_CHARS = 64 * 1024;

/**
 * One CSV document as chunks of text: a header and one `\n`-terminated line per row. Each chunk
 * ends at a line end, and the chunks are made as they are read, so a writer streams the document.
 */
export function* csvChunks<T>(
  header: readonly string[],
  rows: Iterable<T>,
  line: (row: T) => string,
): Generator<string, void, undefined> {
  let chunk = `${header.join(',')}\n`;
  for (const row of rows) {
    chunk += `${line(row)}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

const ORDER_HEADER = [
  'decision_date',
  'fill_date',
  'symbol',
  'side',
  'qty',
  'fill_price',
  'strategy',
  'reason',
  'client_order_id',
  'status',
];
const orderLine = (o: OrderLogRow): string =>
  `${csvText(o.decisionDate)},${csvText(o.fillDate)},${csvText(o.symbol)},${csvText(o.side)},${csvNumber(o.qty)},${csvNumber(o.fillPrice)},${csvText(o.strategy)},${csvText(o.reason)},${csvText(o.clientOrderId)},${csvText(o.status)}`;

const TRADE_HEADER = [
  'symbol',
  'strategy',
  'entry_date',
  'entry_price',
  'exit_date',
  'exit_price',
  'qty',
  'pnl',
  'costs',
  'exit_reason',
];
const tradeLine = (t: ClosedTrade): string =>
  `${csvText(t.symbol)},${csvText(t.strategy)},${csvText(t.entryDate)},${csvNumber(t.entryPrice)},${csvText(t.exitDate)},${csvNumber(t.exitPrice)},${csvNumber(t.qty)},${csvNumber(t.pnl)},${csvNumber(t.costs)},${csvText(t.exitReason)}`;

const EQUITY_HEADER = ['date', 'equity', 'cash', 'exposure', 'heat', 'regime', 'state'];
const equityLine = (d: ReportArtifact): string =>
  `${csvText(d.date)},${csvNumber(d.equity)},${csvNumber(d.cash)},${csvNumber(d.exposure)},${csvNumber(d.heat)},${csvText(d.regime)},${csvText(d.tradingState)}`;

/** orders.csv: one line per order, the risk-rejected ones included. */
export const ordersCsv = (rows: Iterable<OrderLogRow>) => csvChunks(ORDER_HEADER, rows, orderLine);

/** equity.csv: one line per trading day's close. */
export const equityCsv = (days: Iterable<ReportArtifact>) =>
  csvChunks(EQUITY_HEADER, days, equityLine);

/**
 * The four files of a backtest, by file name, each as the chunks of its text (see csvChunks). The
 * CSV chunks are made as they are read, so each file can be read once.
 */
export function backtestFiles(
  run: BacktestRun,
  summary: BacktestSummary,
): Record<string, Iterable<string>> {
  const json = JSON.stringify(
    {
      config: summary.config,
      period: summary.period,
      benchmark: summary.benchmark,
      metrics: summary.metrics,
      perStrategy: summary.perStrategy,
      openPositions: summary.openPositions,
      reconciliationError: summary.reconciliationError,
      signalFlow: summary.signalFlow,
    },
    null,
    2,
  );
  return {
    'summary.json': [`${json}\n`],
    'orders.csv': ordersCsv(run.orders),
    'trades.csv': csvChunks(TRADE_HEADER, run.trades, tradeLine),
    'equity.csv': equityCsv(run.days),
  };
}
