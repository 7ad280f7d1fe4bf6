import type { ExitDecision } from '../domain/model.js';
import { clientOrderId } from '../domain/orders/client-order-id.js';
import type { PendingExit } from '../domain/portfolio/portfolio.js';
import { buildStrategies } from '../domain/strategies/index.js';
import { planExits } from '../domain/strategies/scan.js';
import { contextFrom, type SignalsArtifact } from './generate-signals.js';
import { artifactKey, loadPortfolio, requireArtifact, requireMarketState } from './state.js';
import { type OrderRecord, submitOnce } from './submit-once.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

export interface ExitsArtifact {
  readonly exits: readonly ExitDecision[];
  readonly records: readonly OrderRecord[];
}

/**
 * Step 8: each lot's own strategy exit (and the optional profit target) at today's close, whatever
 * the trading state; one market sell per symbol at the next open, after cancelling the lots' stops.
 */
export const monitorExits: StepFactory = (deps) => {
  const strategies = buildStrategies(deps.config);
  return async (state) => {
    const { store, broker, config } = deps;
    const date = state.tradingDate;
    const market = await requireMarketState(store, config, date);
    const { sentiment } = await requireArtifact<SignalsArtifact>(store, date, 'signals');
    const portfolio = await loadPortfolio(store);
    const context = contextFrom(market.features(), sentiment);
    const { exits, bySymbol } = planExits(
      strategies,
      context,
      portfolio.lots,
      market.session,
      (symbol) => market.indexOf(symbol),
    );

    const pending = [...portfolio.pending];
    const records: OrderRecord[] = [];
    for (const { symbol, lots, decisions } of bySymbol) {
      const id = clientOrderId(date, symbol, 'sell', 'exit');
      // The stops hold the shares at the venue: free them before selling
      for (const lot of lots) await broker.cancelOrder(lot.stopOrderId);
      const qty = lots.reduce((sum, lot) => sum + lot.qty, 0);
      await submitOnce(broker, {
        clientOrderId: id,
        symbol,
        side: 'sell',
        qty,
        type: 'market',
        intent: 'exit',
      });
      records.push({
        clientOrderId: id,
        decisionDate: date,
        symbol,
        side: 'sell',
        qty,
        intent: 'exit',
        strategy: lots.map((lot) => lot.strategy).join('+'),
        reason: decisions.map((d) => `${d.reason}: ${d.detail}`).join('; '),
      });
      if (pending.some((p) => p.clientOrderId === id)) continue;
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
    await store.put('portfolio', { ...portfolio, pending });
    await store.put<ExitsArtifact>(artifactKey(date, 'exits'), { exits, records });
    return withCounts(state, { exits: exits.length });
  };
};
