import type { StrategyId } from '../domain/model.js';
import { clientOrderId } from '../domain/orders/client-order-id.js';
import { checkRisk as decide } from '../domain/risk/check-risk.js';
import { runKey } from '../ports/index.js';
import {
  DayArtifactSchema,
  type DecisionsArtifact,
  DecisionsArtifactSchema,
  RegimeArtifactSchema,
  SizedArtifactSchema,
} from './documents.js';
import { loadWorkingPortfolio, putArtifact, requireArtifact, requireFeatures } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

/**
 * Step 6: the layered limits; a rejection is data with a reason code, not an error. A rerun decides
 * afresh (a halt or a changed input since counts), and hands on what earlier attempts approved, so
 * that execute-orders keeps the entries of theirs the venue already has.
 */
export const checkRisk: StepFactory =
  ({ config, store, broker }) =>
  async (state) => {
    const date = state.tradingDate;
    const [features, { orders }, day, { regime, tradingState }, { value: portfolio }, earlier] =
      await Promise.all([
        requireFeatures(store, date),
        requireArtifact(store, date, 'sized', SizedArtifactSchema),
        requireArtifact(store, date, 'day', DayArtifactSchema),
        requireArtifact(store, date, 'regime', RegimeArtifactSchema),
        loadWorkingPortfolio(store, date),
        store.get(runKey(date, 'decisions'), DecisionsArtifactSchema),
      ]);
    const close = features.features().close;
    const positionsValue = portfolio.lots.reduce(
      (sum, lot) => sum + lot.qty * close[features.indexOf(lot.symbol)]!,
      0,
    );
    const positionsValueByStrategy: Partial<Record<StrategyId, number>> = {};
    for (const lot of portfolio.lots) {
      const value = lot.qty * close[features.indexOf(lot.symbol)]!;
      positionsValueByStrategy[lot.strategy] =
        (positionsValueByStrategy[lot.strategy] ?? 0) + value;
    }
    // Only the day's candidates: one request a symbol (the asset list is ~12,000 entries), and a
    // request for each of the 36 every run pushed a week of runs past the 200-a-minute limit
    const candidates = [...new Set(orders.map((order) => order.symbol))];
    const untradable = candidates.length === 0 ? [] : await broker.untradable(candidates);
    const decisions = decide(
      orders,
      {
        cash: day.account.cash,
        equity: day.account.equity,
        positionsValue,
        lots: portfolio.lots,
        tradingState,
        maxHeat: regime.maxHeat,
        positionsValueByStrategy,
        staleVixSessions: day.vixStaleSessions,
        untradable: new Map(untradable.map(({ symbol, reason }) => [symbol, reason])),
      },
      config.risk,
    );
    const artifact: DecisionsArtifact = {
      decisions,
      approvedEarlier: approvedBefore(date, earlier?.value, decisions),
    };
    await putArtifact(store, date, 'decisions', artifact);
    const approved = decisions.filter((d) => d.approved).length;
    return withCounts(state, { approved, rejected: decisions.length - approved });
  };

const approvedIds = (date: string, decisions: DecisionsArtifact['decisions']) =>
  decisions
    .filter((d) => d.approved)
    .map((d) => clientOrderId(date, d.order.symbol, 'buy', 'entry'));

// Every attempt's approvals so far, less today's: an attempt that failed after sending may be two back
function approvedBefore(
  date: string,
  earlier: DecisionsArtifact | undefined,
  decisions: DecisionsArtifact['decisions'],
): string[] {
  if (earlier === undefined) return [];
  const now = new Set(approvedIds(date, decisions));
  const before = new Set([...earlier.approvedEarlier, ...approvedIds(date, earlier.decisions)]);
  return [...before].filter((id) => !now.has(id));
}
