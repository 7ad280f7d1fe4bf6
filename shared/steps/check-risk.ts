import type { StrategyId } from '../domain/model.js';
import { checkRisk as decide } from '../domain/risk/check-risk.js';
import {
  DayArtifactSchema,
  type DecisionsArtifact,
  RegimeArtifactSchema,
  SizedArtifactSchema,
} from './documents.js';
import { loadWorkingPortfolio, putArtifact, requireArtifact, requireFeatures } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

/** Step 6: the layered limits; a rejection is data with a reason code, not an error. */
export const checkRisk: StepFactory =
  ({ config, store, broker }) =>
  async (state) => {
    const date = state.tradingDate;
    const [features, { orders }, day, { regime, tradingState }, { value: portfolio }] =
      await Promise.all([
        requireFeatures(store, date),
        requireArtifact(store, date, 'sized', SizedArtifactSchema),
        requireArtifact(store, date, 'day', DayArtifactSchema),
        requireArtifact(store, date, 'regime', RegimeArtifactSchema),
        loadWorkingPortfolio(store, date),
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
    const artifact: DecisionsArtifact = { decisions };
    await putArtifact(store, date, 'decisions', artifact);
    const approved = decisions.filter((d) => d.approved).length;
    return withCounts(state, { approved, rejected: decisions.length - approved });
  };
