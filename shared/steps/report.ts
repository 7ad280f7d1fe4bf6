import type { StrategyId } from '../domain/model.js';
import { unrealisedPnl } from '../domain/portfolio/portfolio.js';
import { equityKey, portfolioKey } from '../ports/index.js';
import {
  type DayArtifact,
  DayArtifactSchema,
  ExitsArtifactSchema,
  OrdersArtifactSchema,
  RegimeArtifactSchema,
  type ReportArtifact,
  SignalsArtifactSchema,
  type StrategyDay,
} from './documents.js';
import { dailyEmail } from './email.js';
import { sendOnce } from './outbox.js';
import { finishRun } from './run-record.js';
import { loadWorkingPortfolio, requireArtifact, requireFeatures } from './state.js';
import type { StepFactory } from './types.js';

/** What the report says out loud: degraded inputs and anomalies are never hidden. */
function alertsOf(
  day: Pick<DayArtifact, 'warmedUpSessions' | 'backfilled' | 'unfilled' | 'quarantined'>,
  failed: Partial<Record<StrategyId, string>>,
  rejectedAtVenue: number,
): string[] {
  const alerts: string[] = [];
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
  if (day.unfilled.length > 0) {
    alerts.push(`${day.unfilled.length} order(s) ended at the venue without a fill`);
  }
  if (rejectedAtVenue > 0) alerts.push(`${rejectedAtVenue} order(s) refused by the venue`);
  for (const [id, error] of Object.entries(failed)) alerts.push(`strategy ${id} failed: ${error}`);
  return alerts;
}

/**
 * Step 9: marks the books at the close, writes the day's report and equity, closes the portfolio
 * as of this date (what the next run starts from), sends the summary once and completes the run.
 */
export const report: StepFactory =
  ({ store, mailer, clock }) =>
  async (state) => {
    const date = state.tradingDate;
    const [features, day, regime, { inactive, failed }, orders, exits, { value: portfolio }] =
      await Promise.all([
        requireFeatures(store, date),
        requireArtifact(store, date, 'day', DayArtifactSchema),
        requireArtifact(store, date, 'regime', RegimeArtifactSchema),
        requireArtifact(store, date, 'signals', SignalsArtifactSchema),
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
      alerts: alertsOf(day, failed, orders.rejectedAtVenue + exits.rejectedAtVenue),
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
      { kind: 'daily', tradingDate: date, build: () => dailyEmail(artifact) },
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
