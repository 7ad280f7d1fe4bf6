import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedClock } from '../../../shared/backtest/simulated/in-memory.js';
import { parseConfig } from '../../../shared/domain/config.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import { clientOrderId } from '../../../shared/domain/orders/client-order-id.js';
import { type Broker, orderKey, runKey } from '../../../shared/ports/index.js';
import { checkRisk } from '../../../shared/steps/check-risk.js';
import {
  DecisionsArtifactSchema,
  OrderRecordSchema,
  SizedArtifactSchema,
} from '../../../shared/steps/documents.js';
import { pipeline } from '../../../shared/steps/pipeline.js';
import type { RunState, StepDeps } from '../../../shared/steps/types.js';
import { generateMarket } from '../../support/market-generator.js';
import { CountingBroker, delegate, stepConfig, wire } from '../../support/step-wiring.js';

let market: MarketHistory;
beforeAll(() => {
  market = generateMarket({ symbols: 8, days: 400, seed: 11 });
});

const tight = parseConfig({
  strategies: { enabled: stepConfig.strategies.enabled },
  risk: { maxPositions: 2 },
});

/**
 * Runs whole days with two position slots until one's decisions approve an entry (sent: the venue
 * has it) and turn another away for want of a slot: the day a rerun of check-risk is decided on.
 */
async function aFullDay() {
  const { deps, store } = wire(market, CountingBroker, tight);
  const decided = async (date: string) =>
    (await store.get(runKey(date, 'decisions'), DecisionsArtifactSchema))!.value;
  for (const date of market.dates) {
    (deps.clock as SimulatedClock).setTradingDate(date);
    let state: RunState = { tradingDate: date, runId: 'test' };
    for (const step of pipeline(deps)) state = await step.run(state);
    const { decisions } = await decided(date);
    const approved = decisions.filter((d) => d.approved).map((d) => d.order.symbol);
    const turnedAway = decisions
      .filter((d) => d.reason === 'MAX_POSITIONS')
      .map((d) => d.order.symbol);
    if (approved.length > 0 && turnedAway.length > 0) {
      return { deps, store, state, date, approved, turnedAway, decided };
    }
  }
  throw new Error('no day filled its position slots');
}

/**
 * A venue that no longer has `symbol`'s entry of `date`: it refused it (as Alpaca refuses a second
 * lot in a held symbol), or the attempt stopped between journalling it and sending it. `record`
 * writes that into the journal.
 */
function afterwards(deps: StepDeps, date: string, symbol: string, fate: 'refused' | 'unsent') {
  const id = clientOrderId(date, symbol, 'buy', 'entry');
  return {
    ...delegate(deps.broker),
    getOrder: async (orderId: string) =>
      orderId === id ? undefined : deps.broker.getOrder(orderId),
    record: async () => {
      const journalled = (await deps.store.get(orderKey(id), OrderRecordSchema))!;
      const venue =
        fate === 'refused'
          ? {
              ...journalled.value.venue!,
              status: 'rejected' as const,
              rejectReason: 'buying power',
            }
          : null;
      await deps.store.put(orderKey(id), { ...journalled.value, venue }, journalled.version);
    },
  } satisfies Broker & { record: () => Promise<void> };
}

const approvedIn = (decisions: { approved: boolean; order: { symbol: string } }[]) =>
  decisions.filter((d) => d.approved).map((d) => d.order.symbol);

describe('check-risk run again for a day', () => {
  it('counts what an earlier attempt approved before any new order', async () => {
    const { deps, state, date, approved, decided, store } = await aFullDay();
    const first = await decided(date);
    // Other headlines since: the first approved order's signal is gone, the rest are as sized
    const { orders } = (await store.get(runKey(date, 'sized'), SizedArtifactSchema))!.value;
    await store.replace(runKey(date, 'sized'), {
      orders: orders.filter((o) => o.symbol !== approved[0]),
    });

    await checkRisk(deps)(state);

    // It stays approved, in its earlier size, and the rest are decided after it
    const again = await decided(date);
    expect(again.decisions.filter((d) => d.approved)).toEqual(
      first.decisions.filter((d) => d.approved),
    );
    expect(again.approvedEarlier).toEqual([]);
  });

  it.each([
    ['the venue refused', 'refused'],
    ['never reached the venue', 'unsent'],
  ] as const)('decides as before on the same inputs when an approval %s', async (_, fate) => {
    const { deps, state, date, approved, decided } = await aFullDay();
    const before = await decided(date);
    const broker = afterwards(deps, date, approved[0]!, fate);
    await broker.record();

    await checkRisk({ ...deps, broker })(state);

    expect(await decided(date)).toEqual(before);
  });

  it("decides the venue's entries first, whatever order the day's sizing lists them in", async () => {
    const { deps, state, date, approved, turnedAway, decided } = await aFullDay();
    // Another ranking since: an order turned away before now comes first
    const before = await decided(date);
    const first = before.decisions.find((d) => d.order.symbol === turnedAway[0])!;
    const { store } = deps;
    const { orders } = (await store.get(runKey(date, 'sized'), SizedArtifactSchema))!.value;
    await store.replace(runKey(date, 'sized'), {
      orders: [first.order, ...orders.filter((o) => o.symbol !== first.order.symbol)],
    });

    await checkRisk(deps)(state);

    // The entries at the venue keep their slots as approvals; the new first finds none free
    const again = await decided(date);
    expect(approvedIn(again.decisions)).toEqual(approved);
    expect(again.approvedEarlier).toEqual([]);
    expect(again.decisions.find((d) => d.order.symbol === turnedAway[0])?.reason).toBe(
      'MAX_POSITIONS',
    );
  });

  it('keeps the slot of an earlier approval it refuses now: the limits hold with it kept', async () => {
    const { deps, state, date, approved, decided } = await aFullDay();
    const gone = approved[0]!;

    // Act: check-risk again, the venue now refusing the first approved symbol
    const broker: Broker = {
      ...delegate(deps.broker),
      untradable: async (symbols) =>
        symbols.filter((s) => s === gone).map((symbol) => ({ symbol, reason: 'asset halted' })),
    };
    await checkRisk({ ...deps, broker })(state);

    // Assess: refused and handed on, its slot still taken, so no order turned away gets in
    const after = await decided(date);
    expect(after.approvedEarlier).toEqual([clientOrderId(date, gone, 'buy', 'entry')]);
    expect(approvedIn(after.decisions)).toEqual(approved.filter((s) => s !== gone));
    expect(after.decisions.find((d) => d.order.symbol === gone)?.reason).toBe('NOT_TRADABLE');
  });

  it.each([
    ['the venue refused', 'refused'],
    ['never reached the venue', 'unsent'],
  ] as const)('holds no slot for an approval refused now that %s', async (_, fate) => {
    // Prepare: the first approval's journal record says what became of it, and it is halted now
    const { deps, state, date, approved, turnedAway, decided } = await aFullDay();
    const gone = approved[0]!;
    const broker = afterwards(deps, date, gone, fate);
    await broker.record();
    broker.untradable = async (symbols) =>
      symbols.filter((s) => s === gone).map((symbol) => ({ symbol, reason: 'asset halted' }));

    await checkRisk({ ...deps, broker })(state);

    // Assess: refused like any order and not held, so the first turned away before gets its slot
    const after = await decided(date);
    expect(after.approvedEarlier).toEqual([]);
    expect(after.decisions.find((d) => d.order.symbol === gone)?.reason).toBe('NOT_TRADABLE');
    expect(approvedIn(after.decisions)).toEqual(
      expect.arrayContaining([...approved.filter((s) => s !== gone), turnedAway[0]]),
    );
  });
});
