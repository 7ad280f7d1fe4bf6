import type { BacktestSummary } from '../shared/backtest/summary.js';
import type { Metrics } from '../shared/domain/metrics/index.js';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);
const num = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));

const ROWS: [string, (m: Metrics) => string][] = [
  ['total return', (m) => pct(m.totalReturn)],
  ['CAGR', (m) => pct(m.cagr)],
  ['volatility', (m) => pct(m.volatility)],
  ['Sharpe', (m) => num(m.sharpe)],
  ['Sortino', (m) => num(m.sortino)],
  ['max drawdown', (m) => pct(m.maxDrawdown)],
  ['trades', (m) => String(m.trades)],
  ['win rate', (m) => pct(m.winRate)],
  ['profit factor', (m) => num(m.profitFactor)],
  ['exposure', (m) => pct(m.exposure)],
  ['alpha', (m) => pct(m.alpha)],
  ['beta', (m) => num(m.beta)],
];

/** The console summary: overall and per-strategy metrics side by side. */
export function formatSummaryTable(
  summary: BacktestSummary,
  run: { symbols: number; seconds: number },
): string {
  const columns: [string, Metrics][] = [
    ['portfolio', summary.metrics],
    ...Object.entries(summary.perStrategy),
  ];
  const header = ['', ...columns.map(([name]) => name)];
  const body = ROWS.map(([label, cell]) => [label, ...columns.map(([, m]) => cell(m))]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  const m = summary.metrics;
  return [
    `backtest ${summary.period.from} .. ${summary.period.to}: ${run.symbols} symbols, ${run.seconds.toFixed(2)} s`,
    `equity ${m.initialCapital.toFixed(2)} -> ${m.finalEquity.toFixed(2)}; benchmark: ${summary.benchmark} ${pct(m.benchmarkReturn)}`,
    '',
    line(header),
    ...body.map(line),
  ].join('\n');
}
