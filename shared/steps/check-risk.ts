import type { RiskDecision, SizedOrder, StrategyId } from '../domain/model.js';
import { clientOrderId } from '../domain/orders/client-order-id.js';
import { checkRisk as decide, type RiskContext } from '../domain/risk/check-risk.js';
import { type Broker, runKey, type StateStore } from '../ports/index.js';
import {
  DayArtifactSchema,
  type DecisionsArtifact,
  DecisionsArtifactSchema,
  RegimeArtifactSchema,
  SizedArtifactSchema,
} from './documents.js';
import { foundAtVenue } from './order-journal.js';
import { loadWorkingPortfolio, putArtifact, requireArtifact, requireFeatures } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

/**
 * Step 6: the layered limits; a rejection is data with a reason code, not an error.
 *
 * A rerun (a retried step, a resumed run) decides again, but an entry an earlier attempt approved
 * may be at the venue already. The earlier approvals are decided first, in their earlier order,
 * so on the same inputs each meets what it met before and the decisions come out the same; one
 * the venue has keeps its earlier size, one it never took or refused is sized as today. One the
 * venue has and refused now, by a halt, a stale VIX, the venue or a limit, is handed on
 * (`approvedEarlier`) for execute-orders to keep: its cash, heat and position slot stay taken, and
 * the others are decided again without them.
 */
export const checkRisk: StepFactory =
  ({ config, store, broker }) =>
  async (state) => {
    const date = state.tradingDate;
    const [features, sized, day, { regime, tradingState }, { value: portfolio }, earlier] =
      await Promise.all([
        requireFeatures(store, date),
        requireArtifact(store, date, 'sized', SizedArtifactSchema),
        requireArtifact(store, date, 'day', DayArtifactSchema),
        requireArtifact(store, date, 'regime', RegimeArtifactSchema),
        loadWorkingPortfolio(store, date),
        store.get(runKey(date, 'decisions'), DecisionsArtifactSchema),
      ]);
    const before = await earlierApprovals(date, earlier?.value, store, broker);
    const atVenue = new Set(before.filter((e) => e.atVenue).map((e) => e.id));
    const earlierIds = new Set(before.map((e) => e.id));
    const sizedById = new Map(sized.orders.map((order) => [entryId(date, order), order]));
    const orders = [
      // One at the venue as sent; any other as sized today, and dropped if sizing dropped it
      ...before.flatMap((e) => (e.atVenue ? e.order : (sizedById.get(e.id) ?? []))),
      ...sized.orders.filter((order) => !earlierIds.has(entryId(date, order))),
    ];
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
    const context: RiskContext = {
      cash: day.account.cash,
      equity: day.account.equity,
      positionsValue,
      lots: portfolio.lots,
      tradingState,
      maxHeat: regime.maxHeat,
      positionsValueByStrategy,
      staleVixSessions: day.vixStaleSessions,
      untradable: new Map(untradable.map(({ symbol, reason }) => [symbol, reason])),
    };
    // Each pass reserves the earlier approvals it refused; at most one pass per earlier approval
    const held: RiskDecision[] = [];
    let decisions = decide(orders, context, config.risk);
    for (;;) {
      const refused = decisions.filter((d) => !d.approved && atVenue.has(entryId(date, d.order)));
      if (refused.length === 0) break;
      held.push(...refused);
      const reserved = new Set(held.map((d) => d.order));
      decisions = decide(
        orders.filter((order) => !reserved.has(order)),
        { ...context, reserved: [...reserved] },
        config.risk,
      );
    }
    const place = new Map(orders.map((order, i) => [order, i]));
    decisions = [...held, ...decisions].sort((a, b) => place.get(a.order)! - place.get(b.order)!);
    const artifact: DecisionsArtifact = {
      decisions,
      approvedEarlier: held.map((d) => entryId(date, d.order)),
    };
    await putArtifact(store, date, 'decisions', artifact);
    const approved = decisions.filter((d) => d.approved).length;
    return withCounts(state, { approved, rejected: decisions.length - approved });
  };

const entryId = (date: string, order: SizedOrder) =>
  clientOrderId(date, order.symbol, 'buy', 'entry');

const approvedIds = (date: string, decisions: DecisionsArtifact['decisions']) =>
  decisions.filter((d) => d.approved).map((d) => entryId(date, d.order));

/**
 * Every order an earlier attempt approved, in its earlier order and size, and whether the venue has
 * it: each attempt decides them all again, so the newest attempt's artefact holds them all, even
 * those an attempt in between refused (an attempt that failed after sending may be two back).
 */
async function earlierApprovals(
  date: string,
  earlier: DecisionsArtifact | undefined,
  store: StateStore,
  broker: Broker,
): Promise<{ id: string; order: SizedOrder; atVenue: boolean }[]> {
  if (earlier === undefined) return [];
  const ids = new Set([...earlier.approvedEarlier, ...approvedIds(date, earlier.decisions)]);
  const approved = earlier.decisions
    .map(({ order }) => ({ id: entryId(date, order), order }))
    .filter(({ id }) => ids.has(id));
  const found = await Promise.all(approved.map(({ id }) => foundAtVenue(store, broker, id)));
  return approved.map((entry, i) => ({ ...entry, atVenue: found[i] !== undefined }));
}
