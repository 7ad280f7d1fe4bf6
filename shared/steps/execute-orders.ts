import type { SizedOrder } from '../domain/model.js';
import { clientOrderId } from '../domain/orders/client-order-id.js';
import type { PendingEntry } from '../domain/portfolio/portfolio.js';
import { DecisionsArtifactSchema, type OrderRecord, type OrdersArtifact } from './documents.js';
import { journalAnswer, journalOrder } from './order-journal.js';
import {
  loadWorkingPortfolio,
  putArtifact,
  requireArtifact,
  saveWorkingPortfolio,
} from './state.js';
import { submitOnce } from './submit-once.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

/** The journal record of a day's entry, sent or stopped by the risk checks. */
const entryRecord = (
  date: string,
  order: SizedOrder,
  ordinal: number,
  rejection: string | null,
): OrderRecord => ({
  clientOrderId: clientOrderId(date, order.symbol, 'buy', 'entry'),
  decisionDate: date,
  symbol: order.symbol,
  side: 'buy',
  qty: order.qty,
  intent: 'entry',
  strategy: order.strategy,
  reason: rejection ?? order.reason,
  ordinal,
  riskRejected: rejection !== null,
  venue: null,
});

/**
 * Step 7: a market buy for each approved order, filled at the next open, with its catastrophe stop
 * attached so the venue holds the protection from the fill on. Each order is journalled before it
 * is sent and looked up at the venue first, so a rerun after a crash sends only what is missing.
 */
export const executeOrders: StepFactory =
  ({ broker, store }) =>
  async (state) => {
    const date = state.tradingDate;
    const [{ decisions }, { value: portfolio, version }] = await Promise.all([
      requireArtifact(store, date, 'decisions', DecisionsArtifactSchema),
      loadWorkingPortfolio(store, date),
    ]);
    const rejected = decisions.filter((d) => !d.approved);
    await Promise.all(
      rejected.map(({ order, reason, detail }, i) =>
        journalOrder(store, entryRecord(date, order, i, [reason, detail].join(': '))),
      ),
    );
    let ordinal = rejected.length;
    const pending = [...portfolio.pending];
    const sent: string[] = [];
    let rejectedAtVenue = 0;
    for (const { order, approved } of decisions) {
      if (!approved) continue;
      const entry = entryRecord(date, order, ordinal++, null);
      const id = entry.clientOrderId;
      const stopId = clientOrderId(date, order.symbol, 'sell', 'stop');
      const stop: OrderRecord = {
        ...entry,
        clientOrderId: stopId,
        side: 'sell',
        intent: 'stop',
        reason: `catastrophe stop at ${order.stopPrice}`,
        ordinal: ordinal++,
      };
      const [journalled, journalledStop] = await Promise.all([
        journalOrder(store, entry),
        journalOrder(store, stop),
      ]);
      const answer = await submitOnce(broker, {
        clientOrderId: id,
        symbol: order.symbol,
        side: 'buy',
        qty: order.qty,
        type: 'market',
        intent: 'entry',
        stopLoss: { clientOrderId: stopId, stopPrice: order.stopPrice },
      });
      await journalAnswer(store, journalled, answer);
      sent.push(id);
      if (answer.status === 'rejected') {
        rejectedAtVenue += 1;
        // Its stop was never sent: the journal says so rather than waiting on it forever
        const { stopLoss: _entryStop, ...refused } = answer;
        await journalAnswer(store, journalledStop, {
          ...refused,
          clientOrderId: stopId,
          side: 'sell',
          type: 'stop',
          stopPrice: order.stopPrice,
          intent: 'stop',
          rejectReason: `not sent: its entry was refused (${answer.rejectReason ?? 'no reason given'})`,
        });
        continue;
      }
      if (pending.some((p) => p.clientOrderId === id)) continue; // a rerun of this step
      const pendingEntry: PendingEntry = {
        intent: 'entry',
        clientOrderId: id,
        decisionDate: date,
        symbol: order.symbol,
        qty: order.qty,
        strategy: order.strategy,
        stopOrderId: stopId,
        stopPrice: order.stopPrice,
        targetPrice: order.targetPrice,
      };
      pending.push(pendingEntry);
    }
    if (pending.length !== portfolio.pending.length) {
      await saveWorkingPortfolio(store, date, { ...portfolio, pending }, version);
    }
    const artifact: OrdersArtifact = { sent, rejectedAtVenue, nextOrdinal: ordinal };
    await putArtifact(store, date, 'orders', artifact);
    return withCounts(state, {
      entriesSent: sent.length - rejectedAtVenue,
      entriesRejected: rejectedAtVenue,
    });
  };
