import { clientOrderId } from '../domain/orders/client-order-id.js';
import type { PendingEntry } from '../domain/portfolio/portfolio.js';
import type { DecisionsArtifact } from './check-risk.js';
import { artifactKey, loadPortfolio, requireArtifact } from './state.js';
import { type OrderRecord, submitOnce } from './submit-once.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

export interface OrdersArtifact {
  readonly records: readonly OrderRecord[];
}

/**
 * Step 7: a market buy for each approved order, filled at the next open, with its catastrophe stop
 * attached so the venue holds the protection from the fill on.
 */
export const executeOrders: StepFactory =
  ({ broker, store }) =>
  async (state) => {
    const date = state.tradingDate;
    const { decisions } = await requireArtifact<DecisionsArtifact>(store, date, 'decisions');
    const portfolio = await loadPortfolio(store);
    const pending = [...portfolio.pending];
    const records: OrderRecord[] = [];
    let rejected = 0;
    for (const { order, approved } of decisions) {
      if (!approved) continue;
      const id = clientOrderId(date, order.symbol, 'buy', 'entry');
      const stopId = clientOrderId(date, order.symbol, 'sell', 'stop');
      const sent = await submitOnce(broker, {
        clientOrderId: id,
        symbol: order.symbol,
        side: 'buy',
        qty: order.qty,
        type: 'market',
        intent: 'entry',
        stopLoss: { clientOrderId: stopId, stopPrice: order.stopPrice },
      });
      if (sent.status === 'rejected') rejected += 1;
      records.push(
        {
          clientOrderId: id,
          decisionDate: date,
          symbol: order.symbol,
          side: 'buy',
          qty: order.qty,
          intent: 'entry',
          strategy: order.strategy,
          reason: order.reason,
        },
        {
          clientOrderId: stopId,
          decisionDate: date,
          symbol: order.symbol,
          side: 'sell',
          qty: order.qty,
          intent: 'stop',
          strategy: order.strategy,
          reason: `catastrophe stop at ${order.stopPrice}`,
        },
      );
      if (pending.some((p) => p.clientOrderId === id)) continue; // a retried step
      const entry: PendingEntry = {
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
      pending.push(entry);
    }
    await store.put('portfolio', { ...portfolio, pending });
    await store.put<OrdersArtifact>(artifactKey(date, 'orders'), { records });
    return withCounts(state, { entriesSent: records.length / 2, entriesRejected: rejected });
  };
