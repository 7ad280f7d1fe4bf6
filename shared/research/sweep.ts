import { csvChunks, csvNumber, csvText } from '../backtest/output-files.js';
import { STRATEGY_IDS } from '../domain/config.js';
import type { Task, TaskMetrics, TaskResult } from './evaluate.js';
import { combinations, type ResearchSpec } from './spec.js';

/** A sweep's tasks: each combination over the spec's period. */
export const sweepTasks = (spec: ResearchSpec): Task[] =>
  combinations(spec).map(({ index, params }) => ({
    index,
    combination: index,
    params,
    ...spec.period,
  }));

/** The metric columns of results.csv, in order. */
export const METRIC_COLUMNS = [
  'totalReturn',
  'cagr',
  'sharpe',
  'sortino',
  'calmar',
  'maxDrawdown',
  'maxDrawdownDays',
  'volatility',
  'trades',
  'winRate',
  'profitFactor',
  'exposure',
  'tradesPerMonth',
  'alpha',
  'beta',
  'finalEquity',
] as const satisfies readonly (keyof TaskMetrics)[];

/** A parameter's cell: a number as a number, anything else as its JSON. */
export const paramCell = (value: unknown): string =>
  typeof value === 'number' ? csvNumber(value) : csvText(JSON.stringify(value));

// Per strategy: what it signalled, what filled and what closed, so a sweep shows allocation
const PER_STRATEGY = [
  ['signals', 'signalsByStrategy'],
  ['filled', 'filledByStrategy'],
  ['trades', 'tradesByStrategy'],
] as const satisfies readonly (readonly [string, keyof TaskMetrics])[];

/** results.csv: one row per combination, its parameters, its metrics, then per strategy its signals, fills and trades. */
export function resultsCsv(spec: ResearchSpec, results: readonly TaskResult[]): Iterable<string> {
  const paths = Object.keys(spec.grid);
  const header = [
    'combination',
    ...paths,
    ...METRIC_COLUMNS,
    ...PER_STRATEGY.flatMap(([name]) => STRATEGY_IDS.map((id) => `${name}_${id}`)),
  ];
  return csvChunks(header, results, (r) =>
    [
      String(r.combination),
      ...paths.map((path) => paramCell(r.params[path])),
      ...METRIC_COLUMNS.map((column) => csvNumber(r.metrics[column])),
      ...PER_STRATEGY.flatMap(([, field]) =>
        // Shards written before a field existed lack it: an empty cell, not a crash
        STRATEGY_IDS.map((id) => csvNumber(r.metrics[field]?.[id] ?? null)),
      ),
    ].join(','),
  );
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);
const num = (x: number | null) => (x === null ? '—' : x.toFixed(2));

/** A text table of results (best first, as given): rank, the objective's key metrics, parameters. */
export function formatResults(spec: ResearchSpec, results: readonly TaskResult[]): string {
  const paths = Object.keys(spec.grid);
  const header = ['#', 'sharpe', 'cagr', 'calmar', 'max dd', 'trades', ...paths];
  const rows = results.map((r) => [
    String(r.combination),
    num(r.metrics.sharpe),
    pct(r.metrics.cagr),
    num(r.metrics.calmar),
    pct(r.metrics.maxDrawdown),
    String(r.metrics.trades),
    ...paths.map((path) => JSON.stringify(r.params[path])),
  ]);
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => row[c]!.length)));
  return [header, ...rows]
    .map((row) => row.map((cell, c) => cell.padStart(widths[c]!)).join('  '))
    .join('\n');
}
