import { clientOrderId } from '../domain/orders/client-order-id.js';
import type { PendingExit } from '../domain/portfolio/portfolio.js';
import { buildStrategies } from '../domain/strategies/index.js';
import { planExits } from '../domain/strategies/scan.js';
import {
  DayArtifactSchema,
  type ExitsArtifact,
  type OrderRecord,
  OrdersArtifactSchema,
  SignalsArtifactSchema,
} from './documents.js';
import { contextFrom } from './generate-signals.js';
import { journalOrder, journalVenue } from './order-journal.js';
import {
  loadWorkingPortfolio,
  putArtifact,
  requireArtifact,
  requireFeatures,
  saveWorkingPortfolio,
} from './state.js';
import { submitOnce } from './submit-once.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

/**
 * Step 8: each lot's own strategy exit (and the optional profit target) at today's close, whatever
 * the trading state; one market sell per symbol at the next open, after cancelling the lots' stops.
 */
export const monitorExits: StepFactory = (deps) => {
  const strategies = buildStrategies(deps.config);
  return async (state) => {
    const { store, broker } = deps;
    const date = state.tradingDate;
    const [features, { sentiment }, { nextOrdinal }, { value: portfolio, version }, day] =
      await Promise.all([
        requireFeatures(store, date),
        requireArtifact(store, date, 'signals', SignalsArtifactSchema),
        requireArtifact(store, date, 'orders', OrdersArtifactSchema),
        loadWorkingPortfolio(store, date),
        requireArtifact(store, date, 'day', DayArtifactSchema),
      ]);
    // A quarantined symbol's books are in doubt: its lots wait, protected by their stops
    const quarantined = new Set(day.quarantined.map((q) => q.symbol));
    const context = contextFrom(features.features(), sentiment);
    const { exits, bySymbol } = planExits(
      strategies,
      context,
      portfolio.lots.filter((lot) => !quarantined.has(lot.symbol)),
      features.session,
      (symbol) => features.indexOf(symbol),
    );

    const pending = [...portfolio.pending];
    const sent: string[] = [];
    let rejectedAtVenue = 0;
    let ordinal = nextOrdinal;
    for (const { symbol, lots, decisions } of bySymbol) {
      const id = clientOrderId(date, symbol, 'sell', 'exit');
      const qty = lots.reduce((sum, lot) => sum + lot.qty, 0);
      const record: OrderRecord = {
        clientOrderId: id,
        decisionDate: date,
        symbol,
        side: 'sell',
        qty,
        intent: 'exit',
        strategy: lots.map((lot) => lot.strategy).join('+'),
        reason: decisions.map((d) => `${d.reason}: ${d.detail}`).join('; '),
        ordinal: ordinal++,
        riskRejected: false,
        venue: null,
      };
      await journalOrder(store, record);
      // The stops hold the shares at the venue: free them before selling
      for (const lot of lots) {
        const canceled = await broker.cancelOrder(lot.stopOrderId);
        if (canceled) await journalVenue(store, [canceled]);
      }
      const answer = await submitOnce(broker, {
        clientOrderId: id,
        symbol,
        side: 'sell',
        qty,
        type: 'market',
        intent: 'exit',
      });
      await journalOrder(store, { ...record, venue: answer });
      sent.push(id);
      if (answer.status === 'rejected') rejectedAtVenue += 1;
      if (pending.some((p) => p.clientOrderId === id)) continue; // a rerun of this step
      const exit: PendingExit = {
        intent: 'exit',
        clientOrderId: id,
        decisionDate: date,
        symbol,
        qty,
        allocations: lots.map((lot, i) => ({
          strategy: lot.strategy,
          qty: lot.qty,
          reason: decisions[i]!.reason,
          detail: decisions[i]!.detail,
        })),
      };
      pending.push(exit);
    }
    if (pending.length !== portfolio.pending.length) {
      await saveWorkingPortfolio(store, date, { ...portfolio, pending }, version);
    }
    const artifact: ExitsArtifact = { exits, sent, rejectedAtVenue };
    await putArtifact(store, date, 'exits', artifact);
    return withCounts(state, { exits: exits.length, exitOrders: sent.length });
  };
};
