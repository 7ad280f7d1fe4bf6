import { beforeAll, describe, expect, it } from 'vitest';
import { type BacktestRun, runBacktest } from '../../../shared/backtest/engine.js';
import { type BacktestSummary, summarise } from '../../../shared/backtest/summary.js';
import { parseConfig, type TradingConfigInput } from '../../../shared/domain/config.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import { backtestChartData, benchmarkEquity } from '../../../shared/reports/backtest-charts.js';
import { backtestTearsheet } from '../../../shared/reports/tearsheet.js';
import { generateMarket } from '../../support/market-generator.js';
import { expectValidChart, expectWellFormed, svgsOf } from './structure.js';

const KINDS = [
  'equity',
  'equity',
  'underwater',
  'monthly-returns',
  'rolling-sharpe',
  'strategy-contribution',
  'trade-returns',
  'exposure',
];

/** The page as writeFile writes it: its chunks in order. */
const tearsheetHtml = (...args: Parameters<typeof backtestTearsheet>) =>
  [...backtestTearsheet(...args)].join('');

async function backtest(
  market: MarketHistory,
  config: TradingConfigInput,
  period: { from?: string; to?: string } = {},
): Promise<{ run: BacktestRun; summary: BacktestSummary; html: string }> {
  const run = await runBacktest(market, parseConfig(config), period);
  const summary = summarise(market, run);
  return { run, summary, html: tearsheetHtml(market, run, summary) };
}

/** No chart, style or link reaches outside the file. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/<(img|iframe|object|embed)\b/i);
  expect(html).not.toMatch(/\s(src|href|xlink:href)="(https?:)?\/\//i);
  expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
  expect(html).not.toMatch(/@import/i);
}

function expectValidTearsheet(html: string, drawnKinds: readonly string[]): void {
  expectWellFormed(html, true);
  expectSelfContained(html);
  expect(html).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1">/);
  const charts = svgsOf(html).map(expectValidChart);
  expect(charts.map((c) => c.kind)).toEqual(KINDS);
  expect(charts.filter((c) => !c.empty).map((c) => c.kind)).toEqual(drawnKinds);
  // Ids of titles and inputs are unique in the page
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('backtestTearsheet', () => {
  const market = generateMarket({ symbols: 8, days: 420, seed: 11 });
  let full: Awaited<ReturnType<typeof backtest>>;
  beforeAll(async () => {
    full = await backtest(market, {
      strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover', 'volatility-breakout'] },
      risk: { maxDrawdownHalt: 0.02 },
    });
  });

  it('holds every chart, drawn from the run, in one self-contained file', () => {
    expect(full.run.trades.length).toBeGreaterThan(0);
    expectValidTearsheet(full.html, KINDS);
  });

  it('lists every trade and the summary metrics', () => {
    const rows = /<section id="trades">[\s\S]*?<\/section>/.exec(full.html)![0];
    expect(rows.match(/<tr>/g)).toHaveLength(full.run.trades.length + 1);
    expect(full.html).toContain('<div class="label">Sharpe</div>');
    expect(full.html).toContain('<div class="label">Max drawdown</div>');
  });

  it('lists the days the trading state was not ACTIVE, with the reason', () => {
    const notActive = full.run.days.filter((d) => d.tradingState !== 'ACTIVE');
    expect(notActive.length).toBeGreaterThan(0);
    const section = /<section id="trading-states">[\s\S]*?<\/section>/.exec(full.html)![0];
    expect(section.match(/<tr>/g)).toHaveLength(notActive.length + 1);
    expect(full.html).toMatch(/class="trading-states" data-marks="[1-9]/);
  });

  it('keeps wide tables in scrolling boxes and charts scaling to the page', () => {
    expect(full.html).toMatch(/\.table-wrap\{overflow-x:auto/);
    expect(full.html).toMatch(/figure svg\{display:block;width:100%;height:auto\}/);
    for (const table of full.html.matchAll(/<table>/g)) {
      expect(full.html.slice(table.index - 40, table.index)).toMatch(/class="table-wrap[^"]*">$/);
    }
  });

  it('is deterministic', () => {
    expect(tearsheetHtml(market, full.run, full.summary)).toBe(full.html);
  });

  it('comes in chunks of one figure each, to be written a chart at a time', () => {
    const chunks = backtestTearsheet(market, full.run, full.summary)[Symbol.iterator]();
    expect(chunks.next().value).not.toContain('<svg');
    const equity = chunks.next().value as string;
    expect(svgsOf(equity).map((svg) => expectValidChart(svg).kind)).toEqual(['equity', 'equity']);
    for (let chunk = chunks.next(); !chunk.done; chunk = chunks.next()) {
      expect(svgsOf(chunk.value).length).toBeLessThanOrEqual(1);
    }
  });

  it('splits the P&L among the strategies, summing to the account', () => {
    const { contribution } = backtestChartData(market, full.run, full.summary);
    const last = full.run.days.length - 1;
    const sum = contribution.strategies.reduce((total, s) => total + s.pnl[last]!, 0);
    expect(sum).toBeCloseTo(contribution.total![last]!, 4);
  });

  it('grows the benchmark by the return summary.json reports for it', () => {
    const benchmark = benchmarkEquity(market, full.run)!;
    const capital = full.run.config.initialCapital;
    const last = benchmark.equity[benchmark.equity.length - 1]!;
    expect(last / capital - 1).toBeCloseTo(full.summary.metrics.benchmarkReturn!, 10);
  });

  it('grows an index benchmark from the close before the first day, leaving its gaps empty', async () => {
    const close = Float64Array.from(market.dates, (_, d) => 1000 * 1.001 ** d);
    const indexed = { ...market, benchmark: { name: 'S&P 500', close } };
    const config = {
      strategies: { enabled: ['ma-crossover' as const] },
      metrics: { benchmark: 'sp500' as const },
    };
    const from = market.dates[100]!;
    const { run, summary } = await backtest(indexed, config, { from });
    const benchmark = benchmarkEquity(indexed, run)!;
    expect(benchmark.name).toBe('S&P 500');
    expect(benchmark.equity[0]).toBeCloseTo(100_100, 6); // One day's 0.1 % on the capital
    const growth = benchmark.equity.at(-1)! / run.config.initialCapital - 1;
    expect(growth).toBeCloseTo(summary.metrics.benchmarkReturn!, 10);

    close[150] = Number.NaN;
    const gapped = benchmarkEquity(indexed, run)!;
    expect(gapped.equity[50]).toBeNaN();
    expect(gapped.equity[51]).toBeCloseTo(benchmark.equity[51]!, 6);
  });

  it('gives a flat curve and no trades valid charts, and says there are no trades', async () => {
    // Each strategy waits for more history than the run has, so nothing is ever bought
    const { run, html } = await backtest(generateMarket({ symbols: 4, days: 80, seed: 2 }), {
      strategies: { enabled: ['ma-crossover'] },
    });
    expect(run.trades).toEqual([]);
    expect(new Set(run.days.map((d) => d.equity))).toEqual(new Set([100_000]));
    expectValidTearsheet(
      html,
      KINDS.filter((kind) => kind !== 'trade-returns' && kind !== 'rolling-sharpe'),
    );
    expect(html).toContain('No data: the run closed no trades');
    expect(html).toContain('The run closed no trades.');
  });

  it('draws a single month', async () => {
    const { run, html } = await backtest(
      market,
      { strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover'] } },
      { from: market.dates[300]!, to: market.dates[320]! },
    );
    expect(new Set(run.days.map((d) => d.date.slice(0, 7))).size).toBeLessThanOrEqual(2);
    expectValidTearsheet(
      html,
      KINDS.filter(
        (kind) => kind !== 'rolling-sharpe' && (run.trades.length > 0 || kind !== 'trade-returns'),
      ),
    );
    expect(html).toContain('No data: needs over 126 trading days, the run has 21');
  });
});
