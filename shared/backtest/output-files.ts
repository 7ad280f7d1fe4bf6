import type { BacktestRun } from './engine.js';
import type { BacktestSummary } from './summary.js';

type Cell = string | number | null;

// RFC 4180: quote a field holding a comma, quote or newline, doubling its quotes
const csvField = (value: Cell): string => {
  if (value === null) return '';
  const text = typeof value === 'number' ? formatNumber(value) : value;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

// Enough digits to reconcile to the cent after summing thousands of rows, without float noise
const formatNumber = (x: number): string =>
  Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));

/** One CSV document: a header and rows, `\n` line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** The four files of a backtest, by file name. */
export function backtestFiles(run: BacktestRun, summary: BacktestSummary): Record<string, string> {
  return {
    'summary.json': `${JSON.stringify(
      {
        config: summary.config,
        period: summary.period,
        benchmark: summary.benchmark,
        metrics: summary.metrics,
        perStrategy: summary.perStrategy,
        openPositions: summary.openPositions,
        reconciliationError: summary.reconciliationError,
      },
      null,
      2,
    )}\n`,
    'orders.csv': toCsv(
      [
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
      ],
      run.orders.map((o) => [
        o.decisionDate,
        o.fillDate,
        o.symbol,
        o.side,
        o.qty,
        o.fillPrice,
        o.strategy,
        o.reason,
        o.clientOrderId,
        o.status,
      ]),
    ),
    'trades.csv': toCsv(
      [
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
      ],
      run.trades.map((t) => [
        t.symbol,
        t.strategy,
        t.entryDate,
        t.entryPrice,
        t.exitDate,
        t.exitPrice,
        t.qty,
        t.pnl,
        t.costs,
        t.exitReason,
      ]),
    ),
    'equity.csv': toCsv(
      ['date', 'equity', 'cash', 'exposure', 'heat', 'regime', 'state'],
      run.days.map((d) => [d.date, d.equity, d.cash, d.exposure, d.heat, d.regime, d.tradingState]),
    ),
  };
}
