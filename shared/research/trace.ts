import type { BacktestRun } from '../backtest/engine.js';
import { csvChunks, csvNumber, csvText } from '../backtest/output-files.js';
import { InvalidInputError } from '../domain/errors.js';
import type { Screened } from './inject.js';
import type { InjectedSignal } from './spec.js';

/** Where an injected signal ended: stopped on the way (and why), or filled and then how it exited. */
export type Outcome = Screened['outcome'] | 'risk-rejected' | 'not-filled' | 'open' | 'exited';

/** One injected signal's path through sizing, risk, execution and tracking. */
export interface TraceRow {
  readonly date: string;
  readonly symbol: string;
  readonly strategy: string;
  readonly confidence: number;
  readonly outcome: Outcome;
  /** The reason code (a filter's or risk check's, the venue's status, the exit reason) */
  readonly reason: string;
  readonly detail: string;
  readonly qty: number | null;
  readonly fillDate: string | null;
  readonly fillPrice: number | null;
  readonly exitDate: string | null;
  readonly exitPrice: number | null;
  /** Realised for an exited lot, unrealised at the last close for an open one */
  readonly pnl: number | null;
}

const key = (date: string, symbol: string, strategy: string) => `${date} ${symbol} ${strategy}`;

const EMPTY = {
  qty: null,
  fillDate: null,
  fillPrice: null,
  exitDate: null,
  exitPrice: null,
  pnl: null,
} as const;

/**
 * Follows each injected signal to its outcome: screened out before sizing, then through the order
 * journal (stopped by a risk check, or sent and what the venue did), then the filled lot to its
 * trade or to the positions open at the end. Fails if any signal is left without an outcome.
 */
export function traceSignals(
  signals: readonly InjectedSignal[],
  screened: readonly Screened[],
  run: BacktestRun,
): TraceRow[] {
  const early = new Map(screened.map((s) => [key(s.date, s.symbol, s.strategy), s]));
  // One entry per symbol and day reaches the journal: the filter keeps the best signal of a symbol
  const entries = new Map(
    run.orders
      .filter((o) => o.side === 'buy')
      .map((o) => [key(o.decisionDate, o.symbol, o.strategy), o]),
  );
  const trades = new Map(run.trades.map((t) => [key(t.entryDate, t.symbol, t.strategy), t]));
  const open = new Map(run.openPositions.map((p) => [key(p.entryDate, p.symbol, p.strategy), p]));

  return signals.map((signal): TraceRow => {
    const base = {
      date: signal.date,
      symbol: signal.symbol,
      strategy: signal.strategy,
      confidence: signal.confidence,
    };
    const id = key(signal.date, signal.symbol, signal.strategy);
    const stopped = early.get(id);
    if (stopped) {
      const { outcome, reason, detail } = stopped;
      return { ...base, ...EMPTY, outcome, reason, detail };
    }
    const order = entries.get(id);
    if (order === undefined) {
      throw new InvalidInputError(`${id}: the signal left no trace (not screened, not journalled)`);
    }
    if (order.status === 'risk-rejected') {
      const [code = order.reason, ...detail] = order.reason.split(': ');
      return {
        ...base,
        ...EMPTY,
        outcome: 'risk-rejected',
        reason: code,
        detail: detail.join(': '),
      };
    }
    if (order.status !== 'filled' || order.fillDate === null) {
      const detail = order.status === 'open' ? 'the period ended before it filled' : order.reason;
      return { ...base, ...EMPTY, outcome: 'not-filled', reason: order.status, detail };
    }
    const filled = { qty: order.qty, fillDate: order.fillDate, fillPrice: order.fillPrice };
    const lot = key(order.fillDate, signal.symbol, signal.strategy);
    const trade = trades.get(lot);
    if (trade) {
      return {
        ...base,
        ...filled,
        outcome: 'exited',
        reason: trade.exitReason,
        detail: `held ${trade.entryDate} .. ${trade.exitDate}`,
        exitDate: trade.exitDate,
        exitPrice: trade.exitPrice,
        pnl: trade.pnl,
      };
    }
    const position = open.get(lot);
    if (position === undefined) {
      throw new InvalidInputError(`${id}: filled on ${order.fillDate} but neither closed nor held`);
    }
    return {
      ...base,
      ...filled,
      outcome: 'open',
      reason: 'open',
      detail: `held at the last close, marked at ${position.mark}`,
      exitDate: null,
      exitPrice: null,
      pnl: position.unrealisedPnl,
    };
  });
}

/** How many signals ended each way, in a fixed order. */
export function outcomeCounts(rows: readonly TraceRow[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const name = row.reason === row.outcome ? row.outcome : `${row.outcome} (${row.reason})`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const TRACE_HEADER = [
  'date',
  'symbol',
  'strategy',
  'confidence',
  'outcome',
  'reason',
  'detail',
  'qty',
  'fillDate',
  'fillPrice',
  'exitDate',
  'exitPrice',
  'pnl',
];

/** trace.csv: one row per injected signal, in date order. */
export const traceCsv = (rows: readonly TraceRow[]): Iterable<string> =>
  csvChunks(TRACE_HEADER, rows, (r) =>
    [
      r.date,
      r.symbol,
      r.strategy,
      csvNumber(r.confidence),
      r.outcome,
      csvText(r.reason),
      csvText(r.detail),
      csvNumber(r.qty),
      r.fillDate ?? '',
      csvNumber(r.fillPrice),
      r.exitDate ?? '',
      csvNumber(r.exitPrice),
      csvNumber(r.pnl),
    ].join(','),
  );
