import { previousSession } from '../domain/calendar/nyse.js';
import { emailSettings } from '../domain/config.js';
import { InvalidInputError } from '../domain/errors.js';
import type { RiskDecision, StrategyId } from '../domain/model.js';
import { unrealisedPnl } from '../domain/portfolio/portfolio.js';
import { type EmailMessage, equityKey, portfolioKey } from '../ports/index.js';
import { type DailySummaryInput, summariseDay } from './daily-summary.js';
import {
  type DayArtifact,
  DayArtifactSchema,
  DecisionsArtifactSchema,
  ExitsArtifactSchema,
  type HeldExit,
  OrdersArtifactSchema,
  type Refusal,
  RegimeArtifactSchema,
  type ReportArtifact,
  ReportArtifactSchema,
  SignalsArtifactSchema,
  type StrategyDay,
} from './documents.js';
import { type ChartFailure, dailyEmail, type EmailChart } from './email.js';
import { money } from './email-layout.js';
import { sendOnce } from './outbox.js';
import { finishRun } from './run-record.js';
import { loadWorkingPortfolio, requireArtifact, requireFeatures } from './state.js';
import type { StepDeps, StepFactory } from './types.js';

/** What the report says out loud: degraded inputs and anomalies are never hidden. */
function alertsOf(
  day: Pick<
    DayArtifact,
    'warmedUpSessions' | 'backfilled' | 'unfilled' | 'quarantined' | 'carriedForward' | 'vixAsOf'
  >,
  failed: Partial<Record<StrategyId, string>>,
  venue: { readonly refused: readonly Refusal[]; readonly rejectedAtVenue: number },
  decisions: readonly RiskDecision[],
  kept: readonly string[],
  held: readonly HeldExit[],
): string[] {
  const alerts: string[] = [];
  for (const { symbol, clientOrderId, reason } of held) {
    alerts.push(`${symbol}: exit ${clientOrderId} not sent: ${reason}`);
  }
  for (const id of kept) {
    alerts.push(
      `${id} kept: an earlier attempt of this run sent it, and the venue has it, though this attempt's decisions did not approve it`,
    );
  }
  if (day.vixAsOf !== null) {
    alerts.push(
      `VIX stale: the day's close was unavailable (CBOE down or late), the regime read the close of ${day.vixAsOf}`,
    );
  }
  // A listing the venue withdrew is news about the universe, not a routine rejection
  const untradable = new Map<string, string>();
  for (const { order, reason, detail } of decisions) {
    if (reason === 'NOT_TRADABLE') untradable.set(order.symbol, detail);
  }
  for (const [symbol, why] of untradable) {
    alerts.push(`${symbol}: ${why}, so no new entry; its exits and stop still run`);
  }
  if (day.warmedUpSessions > 0) {
    alerts.push(`first run: indicators warmed up from ${day.warmedUpSessions} sessions of history`);
  }
  if (day.backfilled.length > 0) {
    alerts.push(
      `missed sessions backfilled into the indicators without decisions: ${day.backfilled.join(', ')}`,
    );
  }
  for (const { symbol, reason } of day.quarantined) {
    alerts.push(`${symbol} quarantined (no entry, no exit today): ${reason}`);
  }
  const quarantined = new Set(day.quarantined.map((q) => q.symbol));
  for (const { symbol, dates } of day.carriedForward) {
    // Today's gaps are said by the quarantine; older ones (a warm-up's) here
    if (quarantined.has(symbol)) continue;
    const span = dates.length === 1 ? dates[0] : `${dates[0]} .. ${dates.at(-1)}`;
    alerts.push(
      `${symbol}: no bar on ${dates.length} session(s) of history (${span}), its close carried forward into the indicators`,
    );
  }
  if (day.unfilled.length > 0) {
    alerts.push(`${day.unfilled.length} order(s) ended at the venue without a fill`);
  }
  // Each refusal in the venue's words: a count would not say which symbol, nor why
  for (const { symbol, side, qty, intent, clientOrderId, reason } of venue.refused) {
    alerts.push(
      `${symbol}: ${side.toUpperCase()} ${qty} (${intent} ${clientOrderId}) refused by the venue: ${reason}`,
    );
  }
  // Artifacts written before refusals were listed have only their number
  if (venue.refused.length === 0 && venue.rejectedAtVenue > 0) {
    alerts.push(`${venue.rejectedAtVenue} order(s) refused by the venue`);
  }
  for (const [id, error] of Object.entries(failed)) alerts.push(`strategy ${id} failed: ${error}`);
  return alerts;
}

/** The mean of the symbols' returns that day, as the backtest's equal-weight benchmark has it. */
function equalWeightReturn(returns: Float64Array): number | null {
  let sum = 0;
  let count = 0;
  for (const r of returns) {
    if (!Number.isFinite(r)) continue;
    sum += r;
    count++;
  }
  return count > 0 ? sum / count : null;
}

/** The equal-weight universe's value had it started with the same equity at the same close. */
function benchmarkEquity(start: number, points: readonly { benchmarkReturn?: number | null }[]) {
  let value = start;
  return points.map((point, i) => {
    // The start point is the close the comparison starts from
    if (i > 0) value *= 1 + (point.benchmarkReturn ?? Number.NaN);
    return value;
  });
}

/**
 * The equity curve with its drawdown as an inline PNG, or why it could not be drawn. It starts at
 * the close before the first run, when the account held its starting equity: a first run's email
 * shows that start and its own close.
 */
async function equityChartImage(
  days: readonly ReportArtifact[],
  start: { readonly date: string | undefined; readonly equity: number },
): Promise<EmailChart | ChartFailure | undefined> {
  const points: { date: string; equity: number; benchmarkReturn?: number | null }[] = [
    ...(start.date === undefined ? [] : [{ date: start.date, equity: start.equity }]),
    ...days,
  ];
  // A curve needs two points
  if (points.length < 2) return undefined;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  // Loaded here, not at the top: d3 and resvg only for a run that sends mail
  const [{ equityChart }, { chartPng }] = await Promise.all([
    import('../reports/charts/index.js'),
    import('../reports/charts/png.js'),
  ]);
  const svg = equityChart(
    {
      dates: points.map((p) => p.date),
      equity: points.map((p) => p.equity),
      initialCapital: start.equity,
      benchmark: {
        name: 'equal-weight universe',
        equity: benchmarkEquity(points[0]!.equity, points),
      },
    },
    { id: 'email-equity', title: 'Equity against the equal-weight universe, and drawdown' },
  );
  return {
    png: await chartPng(svg),
    alt: `equity from ${money(first.equity)} ${first === days[0] ? 'on' : 'at the start,'} ${first.date} to ${money(last.equity)} on ${last.date}`,
  };
}

/**
 * The daily email: reads what only it needs (the whole equity series, about 1 KB a trading day,
 * so one Query page holds some three years) and renders the chart. Called only when the email is
 * to be sent: the backtest, which has no mailer, never reads or draws these.
 */
async function composeDailyEmail(
  { store, config }: StepDeps,
  facts: Omit<DailySummaryInput, 'series' | 'risk'>,
): Promise<EmailMessage> {
  const date = facts.report.date;
  const series = await store.list('equity', ReportArtifactSchema);
  const days = series.map((d) => d.value).filter((d) => d.date <= date);
  const summary = summariseDay({ ...facts, series: days, risk: config.risk });
  // The close before the first run, by the NYSE rules: it only dates the chart's first point, and
  // asking the venue's calendar would put the Alpaca SDK in this bundle (0.71 -> 1.07 MiB)
  const startDate = closeBefore(days[0]?.date ?? date);
  // A chart is worth less than the email: one that fails to draw is said, not sent
  const chart = await equityChartImage(days, {
    date: startDate,
    equity: summary.performance.startEquity,
  }).catch(
    (error: unknown): ChartFailure => ({ error: String((error as Error)?.message ?? error) }),
  );
  return dailyEmail(summary, emailSettings(config), chart);
}

/**
 * Step 9: marks the books at the close, writes the day's report and equity, closes the portfolio
 * as of this date (what the next run starts from), sends the summary once and completes the run.
 */
export const report: StepFactory = (deps) => {
  const { store, mailer, clock } = deps;
  return async (state) => {
    const date = state.tradingDate;
    const [
      features,
      day,
      regime,
      { inactive, failed },
      { decisions },
      orders,
      exits,
      { value: portfolio },
    ] = await Promise.all([
      requireFeatures(store, date),
      requireArtifact(store, date, 'day', DayArtifactSchema),
      requireArtifact(store, date, 'regime', RegimeArtifactSchema),
      requireArtifact(store, date, 'signals', SignalsArtifactSchema),
      requireArtifact(store, date, 'decisions', DecisionsArtifactSchema),
      requireArtifact(store, date, 'orders', OrdersArtifactSchema),
      requireArtifact(store, date, 'exits', ExitsArtifactSchema),
      loadWorkingPortfolio(store, date),
    ]);
    const close = features.features().close;

    let exposure = 0;
    const perStrategy: Partial<Record<StrategyId, StrategyDay>> = {};
    for (const lot of portfolio.lots) {
      const mark = close[features.indexOf(lot.symbol)]!;
      const value = lot.qty * mark;
      exposure += value;
      const sofar = perStrategy[lot.strategy] ?? { marketValue: 0, unrealisedPnl: 0, lots: 0 };
      perStrategy[lot.strategy] = {
        marketValue: sofar.marketValue + value,
        unrealisedPnl: sofar.unrealisedPnl + unrealisedPnl(lot, mark),
        lots: sofar.lots + 1,
      };
    }
    const { equity, cash } = day.account;
    const refusals = [...orders.refused, ...exits.refused];
    const peakEquity = Math.max(portfolio.peakEquity, equity);
    const artifact: ReportArtifact = {
      date,
      equity,
      cash,
      exposure,
      heat: equity > 0 ? exposure / equity : 0,
      regime: regime.regime.name,
      vix: regime.regime.vix,
      tradingState: regime.tradingState,
      tradingStateReason: regime.tradingStateReason,
      dailyReturn: portfolio.previousEquity === null ? null : equity / portfolio.previousEquity - 1,
      drawdown: peakEquity > 0 ? 1 - equity / peakEquity : 0,
      perStrategy,
      closedTrades: day.closedTrades,
      entriesSent: orders.sent.length - orders.rejectedAtVenue,
      exitsSent: exits.sent.length - exits.rejectedAtVenue,
      inactiveStrategies: inactive,
      alerts: alertsOf(
        day,
        failed,
        { refused: refusals, rejectedAtVenue: orders.rejectedAtVenue + exits.rejectedAtVenue },
        decisions,
        orders.kept,
        exits.held,
      ),
      benchmarkReturn: equalWeightReturn(features.features().dailyReturn),
    };
    // The same date's same numbers on a rerun: each replaces what an earlier attempt wrote
    await store.replace(equityKey(date), artifact);
    await store.replace(portfolioKey(date), {
      ...portfolio,
      tradingState: regime.carriedState,
      previousEquity: equity,
      peakEquity,
      lastRunDate: date,
    });
    await sendOnce(
      store,
      mailer,
      {
        kind: 'daily',
        tradingDate: date,
        build: () =>
          composeDailyEmail(deps, {
            report: artifact,
            regime,
            day,
            decisions,
            exits,
            refusals,
            portfolio,
            marks: new Map(
              portfolio.lots.map((lot) => [lot.symbol, close[features.indexOf(lot.symbol)]!]),
            ),
            session: features.session,
          }),
      },
      state.runId,
    );
    await finishRun(store, date, state.runId, {
      status: 'succeeded',
      error: null,
      now: clock.now(),
    });
    return {
      ...state,
      equity,
      cash,
      dailyReturn: artifact.dailyReturn,
      heat: artifact.heat,
      drawdown: artifact.drawdown,
    };
  };
};

// Undefined before the rules' first date: the chart then draws the days alone
function closeBefore(date: string): string | undefined {
  try {
    return previousSession(date);
  } catch (error) {
    if (error instanceof InvalidInputError) return undefined;
    throw error;
  }
}
