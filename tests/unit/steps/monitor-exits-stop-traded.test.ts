import { describe, expect, it } from 'vitest';
import type { Order, OrderRequest } from '../../../shared/ports/index.js';
import { equityKey, runKey } from '../../../shared/ports/index.js';
import { ExitsArtifactSchema, ReportArtifactSchema } from '../../../shared/steps/documents.js';
import { pipeline } from '../../../shared/steps/pipeline.js';
import type { RunState } from '../../../shared/steps/types.js';
import { generateMarket } from '../../support/market-generator.js';
import { CountingBroker, wire } from '../../support/step-wiring.js';

/**
 * A venue whose stops trade before monitor-exits' cancel reaches them, as Alpaca's would on a run
 * resumed during the next session: each cancel of a stop answers it filled.
 */
class StopsTradeFirst extends CountingBroker {
  trading = false;
  readonly sells: string[] = [];
  override async cancelOrder(id: string): Promise<Order | undefined> {
    const order = await super.cancelOrder(id);
    if (!this.trading || order === undefined || order.intent !== 'stop') return order;
    return { ...order, status: 'filled', filledQty: order.qty, filledAvgPrice: order.stopPrice! };
  }
  override async submitOrder(request: OrderRequest) {
    if (this.trading && request.side === 'sell') this.sells.push(request.clientOrderId);
    return super.submitOrder(request);
  }
}

describe('monitor-exits when a stop traded before its cancel', () => {
  it('sends no exit for those shares, says why, and a rerun does the same', async () => {
    const history = generateMarket({ symbols: 30, days: 400, seed: 1 });
    const { deps, clock, broker, store } = wire(history, StopsTradeFirst);
    const venue = broker as StopsTradeFirst;
    const steps = pipeline(deps);
    const monitor = steps.find((step) => step.name === 'monitor-exits')!;

    // Days as usual until the first day with an exit to send
    let date = '';
    let before: RunState | undefined;
    for (let d = 250; d < history.dates.length; d++) {
      date = history.dates[d]!;
      clock.setTradingDate(date);
      let state: RunState = { tradingDate: date, runId: 'test' };
      for (const step of steps) {
        if (step === monitor) before = state;
        venue.trading = step === monitor;
        state = await step.run(state);
        venue.trading = false;
      }
      const exits = await store.get(runKey(date, 'exits'), ExitsArtifactSchema);
      if ((exits?.value.exits.length ?? 0) > 0) break;
    }

    const exits = (await store.get(runKey(date, 'exits'), ExitsArtifactSchema))!.value;
    const symbols = [...new Set(exits.exits.map((e) => e.symbol))];
    expect(symbols.length).toBeGreaterThan(0);
    // Nothing sold: every exit's shares were gone with its stop
    expect(venue.sells).toEqual([]);
    expect(exits.sent).toEqual([]);
    expect(exits.held.map((h) => h.symbol).sort()).toEqual([...symbols].sort());
    expect(exits.held[0]!.reason).toMatch(
      /was filled \(\d+ of \d+ filled\).*left for the next run/,
    );
    const report = (await store.get(equityKey(date), ReportArtifactSchema))?.value;
    const alerts = report?.alerts ?? [];
    for (const { symbol, clientOrderId } of exits.held) {
      expect(alerts.some((a) => a.startsWith(`${symbol}: exit ${clientOrderId} not sent`))).toBe(
        true,
      );
    }

    // The step again: still nothing sent, the same exits held
    venue.trading = true;
    await monitor.run(before!);
    venue.trading = false;
    expect(venue.sells).toEqual([]);
    const again = (await store.get(runKey(date, 'exits'), ExitsArtifactSchema))!.value;
    expect(again.held).toEqual(exits.held);
  });
});
