import type { BacktestRun } from '../backtest/engine.js';
import type { BacktestSummary } from '../backtest/summary.js';
import type { MarketHistory } from '../domain/market/history.js';
import type { Metrics } from '../domain/metrics/index.js';
import { backtestChartData } from './backtest-charts.js';
import {
  type EquityChartData,
  equityChart,
  escapeXml as escapeHtml,
  exposureChart,
  formatCents,
  formatMoney,
  formatPercent,
  monthlyReturnsChart,
  rollingSharpeChart,
  signed,
  signedMoney,
  strategyContributionChart,
  tradeReturnsChart,
  underwaterChart,
} from './charts/index.js';

// The tearsheet is one self-contained HTML file: inline CSS and SVG, no script, no external
// resource, so it opens from disk, from an S3 link or as a mail attachment alike

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:'DejaVu Sans',Verdana,system-ui,sans-serif;color:#222;background:#f4f5f7;line-height:1.4}
main{max-width:1320px;margin:0 auto;padding:16px}
h1{font-size:1.45rem;margin:0 0 4px}
h2{font-size:1.1rem;margin:28px 0 8px}
p{margin:4px 0}
.meta{color:#555;font-size:.88rem;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(136px,1fr));gap:8px}
.card{background:#fff;border:1px solid #e1e3e8;border-radius:6px;padding:8px 10px;min-width:0}
.card .label{font-size:.74rem;color:#666}
.card .value{font-size:1.08rem;font-weight:bold;overflow-wrap:anywhere}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,560px),1fr));gap:12px;align-items:start}
figure{margin:0;background:#fff;border:1px solid #e1e3e8;border-radius:6px;padding:4px;min-width:0}
figure svg{display:block;width:100%;height:auto}
.scale-toggle{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;padding:4px 8px;font-size:.85rem}
.scale-toggle input{margin:0 2px 0 0}
.scale-toggle .chart-box{flex-basis:100%}
.equity-log{display:none}
#equity-scale-log:checked~.equity-log{display:block}
#equity-scale-log:checked~.equity-linear{display:none}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #e1e3e8;border-radius:6px;max-width:100%}
.table-wrap.tall{max-height:70vh;overflow-y:auto}
table{border-collapse:collapse;width:100%;font-size:.8rem}
th,td{padding:4px 8px;text-align:right;white-space:nowrap;border-bottom:1px solid #eceef1}
th{position:sticky;top:0;background:#eef0f3;font-weight:bold}
th.text,td.text{text-align:left}
td.wrap{white-space:normal;min-width:16em}
.pos{color:#1e7b45}
.neg{color:#b0302a}
.notes{font-size:.85rem;color:#444}
.notes li{margin:3px 0}
@media (max-width:480px){main{padding:8px}figure{padding:0}h2{margin-top:20px}}
`;

/** A table cell: text is escaped; numbers are right-aligned by the stylesheet. */
interface Cell {
  readonly text: string;
  readonly kind?: 'text' | 'wrap' | 'number';
  /** Colours a P&L or a return by its sign */
  readonly sign?: number;
}

const cell = (text: string, kind: Cell['kind'] = 'number', sign?: number): Cell => ({
  text,
  kind,
  ...(sign !== undefined && { sign }),
});

function table(headers: readonly (string | Cell)[], rows: readonly (readonly Cell[])[]): string {
  const head = headers
    .map((h) => {
      const { text, kind } = typeof h === 'string' ? { text: h, kind: 'number' } : h;
      return `<th scope="col"${kind === 'number' ? '' : ' class="text"'}>${escapeHtml(text)}</th>`;
    })
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((c) => {
            const classes = [
              c.kind === 'text' ? 'text' : c.kind === 'wrap' ? 'text wrap' : '',
              c.sign === undefined || c.sign === 0 ? '' : c.sign > 0 ? 'pos' : 'neg',
            ].filter(Boolean);
            const attribute = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
            return `<td${attribute}>${escapeHtml(c.text)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const orDash = (value: number | null, format: (v: number) => string) =>
  value === null ? '–' : format(value);
const ratio = (value: number) => value.toFixed(2);

/** The headline metrics, as cards. */
function metricCards(summary: BacktestSummary): string {
  const m = summary.metrics;
  const cards: [string, string][] = [
    ['Total return', signed(m.totalReturn)],
    ['CAGR', orDash(m.cagr, (v) => signed(v, 2))],
    ['Sharpe', orDash(m.sharpe, ratio)],
    ['Sortino', orDash(m.sortino, ratio)],
    ['Max drawdown', formatPercent(-m.maxDrawdown)],
    ['Longest drawdown', `${m.maxDrawdownDays} days`],
    ['Volatility', orDash(m.volatility, (v) => formatPercent(v))],
    ['Calmar', orDash(m.calmar, ratio)],
    ['Benchmark return', orDash(m.benchmarkReturn, (v) => signed(v))],
    ['Alpha', orDash(m.alpha, (v) => signed(v, 2))],
    ['Beta', orDash(m.beta, ratio)],
    ['Mean exposure', orDash(m.exposure, (v) => formatPercent(v))],
    ['Trades', String(m.trades)],
    ['Trades per month', orDash(m.tradesPerMonth, (v) => v.toFixed(1))],
    ['Win rate', orDash(m.winRate, (v) => formatPercent(v))],
    ['Profit factor', orDash(m.profitFactor, ratio)],
    ['Average win', orDash(m.avgWin, signedMoney)],
    ['Average loss', orDash(m.avgLoss, signedMoney)],
    ['Initial capital', formatMoney(m.initialCapital)],
    ['Final equity', formatMoney(m.finalEquity)],
  ];
  return `<div class="cards">${cards
    .map(
      ([label, value]) =>
        `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`,
    )
    .join('')}</div>`;
}

function strategyTable(summary: BacktestSummary, pnl: ReadonlyMap<string, number>): string {
  const rows = Object.entries(summary.perStrategy).map(([id, m]: [string, Metrics]) => {
    const dollars = pnl.get(id) ?? 0;
    return [
      cell(id, 'text'),
      cell(signedMoney(dollars), 'number', dollars),
      cell(signed(m.totalReturn), 'number', m.totalReturn),
      cell(orDash(m.sharpe, ratio)),
      cell(formatPercent(-m.maxDrawdown)),
      cell(String(m.trades)),
      cell(orDash(m.winRate, (v) => formatPercent(v))),
      cell(orDash(m.profitFactor, ratio)),
      cell(orDash(m.exposure, (v) => formatPercent(v))),
    ];
  });
  if (rows.length === 0) return '<p>No strategy was enabled or traded.</p>';
  return `<div class="table-wrap">${table(
    [
      cell('Strategy', 'text'),
      'P&L',
      'Return',
      'Sharpe',
      'Max drawdown',
      'Trades',
      'Win rate',
      'Profit factor',
      'Exposure',
    ],
    rows,
  )}</div>`;
}

function stateTable(run: BacktestRun): string {
  const rows = run.days
    .filter((d) => d.tradingState !== 'ACTIVE')
    .map((d) => [
      cell(d.date, 'text'),
      cell(d.tradingState, 'text'),
      cell(d.regime, 'text'),
      cell(d.tradingStateReason, 'wrap'),
    ]);
  if (rows.length === 0) return '<p>The trading state was ACTIVE on every day.</p>';
  return `<div class="table-wrap">${table(
    [cell('Date', 'text'), cell('State', 'text'), cell('Regime', 'text'), cell('Why', 'text')],
    rows,
  )}</div>`;
}

function openPositionsTable(summary: BacktestSummary): string {
  if (summary.openPositions.length === 0) return '<p>No position was open at the end.</p>';
  const rows = summary.openPositions.map((p) => [
    cell(p.symbol, 'text'),
    cell(p.strategy, 'text'),
    cell(p.entryDate, 'text'),
    cell(String(p.qty)),
    cell(formatCents(p.entryPrice)),
    cell(formatCents(p.mark)),
    cell(formatCents(p.marketValue)),
    cell(formatCents(p.unrealisedPnl), 'number', p.unrealisedPnl),
  ]);
  return `<div class="table-wrap">${table(
    [
      cell('Symbol', 'text'),
      cell('Strategy', 'text'),
      cell('Entry date', 'text'),
      'Qty',
      'Entry',
      'Mark',
      'Value',
      'Unrealised P&L',
    ],
    rows,
  )}</div>`;
}

function tradeTable(run: BacktestRun): string {
  if (run.trades.length === 0) return '<p>The run closed no trades.</p>';
  const rows = run.trades.map((t, i) => {
    const r = t.pnl / Math.abs(t.qty * t.entryPrice);
    return [
      cell(String(i + 1)),
      cell(t.symbol, 'text'),
      cell(t.strategy, 'text'),
      cell(t.entryDate, 'text'),
      cell(formatCents(t.entryPrice)),
      cell(t.exitDate, 'text'),
      cell(formatCents(t.exitPrice)),
      cell(String(t.qty)),
      cell(formatCents(t.pnl), 'number', t.pnl),
      cell(signed(r, 2), 'number', t.pnl),
      cell(formatCents(t.costs)),
      cell(t.exitReason, 'text'),
    ];
  });
  return `<div class="table-wrap tall">${table(
    [
      '#',
      cell('Symbol', 'text'),
      cell('Strategy', 'text'),
      cell('Entry date', 'text'),
      'Entry',
      cell('Exit date', 'text'),
      'Exit',
      'Qty',
      'P&L',
      'Return',
      'Costs',
      cell('Exit', 'text'),
    ],
    rows,
  )}</div>`;
}

const figure = (svg: string) => `<figure>${svg}</figure>`;

// Narrower than an email's 640: on a 375 px phone the charts scale to about 0.65, and their
// 13 px labels stay above 8 px
const WIDTH = 560;

/** The equity chart in both scales, with radio buttons that show one: a toggle without script. */
function equityFigure(equity: EquityChartData): string {
  return `<figure class="scale-toggle">
<input type="radio" name="equity-scale" id="equity-scale-linear" checked><label for="equity-scale-linear">Linear</label>
<input type="radio" name="equity-scale" id="equity-scale-log"><label for="equity-scale-log">Log scale</label>
<div class="chart-box equity-linear">${equityChart(equity, { id: 'equity-linear', width: WIDTH })}</div>
<div class="chart-box equity-log">${equityChart(equity, { id: 'equity-log', scale: 'log', width: WIDTH })}</div>
</figure>`;
}

/**
 * tearsheet.html of a backtest: the summary metrics, every chart as inline SVG and the trade list,
 * in one file with no external resource. Deterministic: the same run gives the same bytes.
 *
 * The page comes in chunks, each drawn when it is asked for: writeFile takes them as they come, so
 * a chart is written before the next is drawn and the page is never whole in memory. Built as one
 * string (two bytes a character, for the charts' minus signs) it cost the backtest's peak RSS about
 * 5 MB more
 */
export function* backtestTearsheet(
  history: MarketHistory,
  run: BacktestRun,
  summary: BacktestSummary,
): Iterable<string> {
  const data = backtestChartData(history, run, summary);
  const { period } = summary;
  const pnl = new Map(
    data.contribution.strategies.map((s) => [s.id, s.pnl[s.pnl.length - 1] ?? 0] as const),
  );
  const charts = [
    () => equityFigure(data.equity),
    () => figure(underwaterChart(data.equity, { width: WIDTH })),
    () => figure(monthlyReturnsChart(data.equity, { width: WIDTH })),
    () =>
      figure(
        rollingSharpeChart(data.equity, {
          width: WIDTH,
          overall: summary.metrics.sharpe,
          riskFreeRate: run.config.metrics.riskFreeRate,
        }),
      ),
    () => figure(strategyContributionChart(data.contribution, { width: WIDTH })),
    () => figure(tradeReturnsChart(data.tradeReturns, { width: WIDTH })),
    () => figure(exposureChart(data.exposure, { width: WIDTH })),
  ];
  const title = `Backtest ${period.from} to ${period.to}`;
  const enabled = run.config.strategies.enabled.join(', ') || 'none';
  const costs = run.config.costs.enabled
    ? `${run.config.costs.slippageBps} bp slippage, $${run.config.costs.commissionPerShare} a share`
    : 'off';
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(`${run.days.length} trading days · ${history.symbols.length} symbols · benchmark: ${summary.benchmark} · strategies: ${enabled} · costs: ${costs}`)}</p>
</header>
<section id="summary"><h2>Summary</h2>
${metricCards(summary)}
</section>
<section id="strategies"><h2>By strategy</h2>
${strategyTable(summary, pnl)}
</section>
<section id="charts"><h2>Charts</h2>
<div class="charts">
`;
  for (const [index, chart] of charts.entries()) {
    if (index > 0) yield '\n';
    yield chart();
  }
  yield `
</div>
</section>
<section id="trading-states"><h2>Days not ACTIVE</h2>
${stateTable(run)}
</section>
<section id="open-positions"><h2>Open at the end</h2>
${openPositionsTable(summary)}
</section>
<section id="trades"><h2>Trades (${run.trades.length})</h2>
<p class="meta">In the order they closed; the return is P&amp;L net of costs over the entry notional.</p>
${tradeTable(run)}
</section>
<section id="notes" class="notes"><h2>Notes</h2>
<ul>
<li>Returns are price returns; trade returns are P&amp;L net of costs over entry notional.</li>
<li>Heat is the market value of open lots over equity at the close; its cap is the regime's <code>maxHeat</code> from the config.</li>
<li>A strategy's contribution is its closed trades' P&amp;L plus its open lots' unrealised P&amp;L.</li>
<li>${escapeHtml(`Reconciliation error: ${formatCents(summary.reconciliationError)} (final equity against capital plus closed and open P&L).`)}</li>
</ul>
</section>
</main>
</body>
</html>
`;
}
