import { STRATEGY_IDS } from '../domain/config.js';
import type { SizedOrder } from '../domain/model.js';
import { clientOrderId } from '../domain/orders/client-order-id.js';
import type { PendingEntry } from '../domain/portfolio/portfolio.js';
import { type Broker, CorruptStateError, type Order, type StateStore } from '../ports/index.js';
import {
  DayArtifactSchema,
  DecisionsArtifactSchema,
  type OrderRecord,
  type OrdersArtifact,
  type Refusal,
  refusalOf,
} from './documents.js';
import { foundAtVenue, journalAnswer, journalOrder } from './order-journal.js';
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
  stopPrice: order.stopPrice,
  targetPrice: order.targetPrice,
  venue: null,
});

/**
 * Step 7: a market buy for each approved order, filled at the next open, with its catastrophe stop
 * attached so the venue holds the protection from the fill on. Each order is journalled before it
 * is sent and looked up at the venue first, so a rerun after a crash sends only what is missing.
 * A rerun whose decisions changed (a halt since, other headlines) still keeps every entry an
 * earlier attempt sent: it is at the venue, so it is booked as sent.
 *
 * The entry and its stop are one one-triggers-other order, and a venue gives both one time in
 * force (Alpaca does): `gtc`, since a `day` stop would expire at the close of the fill's session
 * and leave the lot bare until the next run, while a stop sent after the fill could come only
 * with that run. The entry is still a day's decision: the next run cancels whatever of it has not
 * filled by then (fetch-data), as a `day` order would have expired.
 *
 * A second lot in a held symbol is sent like any entry, and Alpaca refuses it: a buy while the
 * held lot's sell stop works is a potential wash trade. That refusal is the handling: the entry is
 * journalled rejected with Alpaca's reason and reported, and the held lot keeps its stop. Making
 * room for the buy (cancel the stop, buy, stop both lots again) cannot be made safe: the new stop
 * would itself be refused while the buy waits for the next open, so the held shares would trade a
 * whole session without a stop, and a crash between the steps would leave them so indefinitely.
 */
export const executeOrders: StepFactory =
  ({ broker, store }) =>
  async (state) => {
    const date = state.tradingDate;
    const [{ decisions, approvedEarlier }, { value: portfolio, version }, day] = await Promise.all([
      requireArtifact(store, date, 'decisions', DecisionsArtifactSchema),
      loadWorkingPortfolio(store, date),
      requireArtifact(store, date, 'day', DayArtifactSchema),
    ]);
    const pending = [...portfolio.pending];
    const book = (record: OrderRecord, answer: Order, order?: SizedOrder) => {
      if (pending.some((p) => p.clientOrderId === record.clientOrderId)) return; // a rerun
      pending.push(pendingEntryOf(record, answer, order));
    };
    // In their earlier sizes, for a record journalled before entries carried their stop and target
    const decided = new Map(decisions.map(({ order }) => [order.symbol, order]));
    const kept = await keptEntries(store, broker, approvedEarlier);
    for (const { record, answer } of kept) book(record, answer, decided.get(record.symbol));
    const keptIds = new Set(kept.map(({ record }) => record.clientOrderId));

    // The journal's ordinals go on after the stops fetch-data re-placed today
    const first = day.nextOrdinal;
    const rejected = decisions.filter(
      (d) => !d.approved && !keptIds.has(clientOrderId(date, d.order.symbol, 'buy', 'entry')),
    );
    await Promise.all(
      rejected.map(({ order, reason, detail }, i) =>
        journalOrder(store, entryRecord(date, order, first + i, [reason, detail].join(': '))),
      ),
    );
    let ordinal = first + rejected.length;
    const sent = kept.map(({ record }) => record.clientOrderId);
    const refused: Refusal[] = [];
    for (const { order, approved } of decisions) {
      if (!approved) continue;
      const entry = entryRecord(date, order, ordinal++, null);
      const id = entry.clientOrderId;
      const stopId = clientOrderId(date, order.symbol, 'sell', 'stop');
      const { stopPrice: _stop, targetPrice: _target, ...decided } = entry;
      const stop: OrderRecord = {
        ...decided,
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
      // A refusal an earlier attempt of this step met stays one: a venue keeps no record of it, and
      // sending it again would be a second order the bot decided once
      const earlier = journalled.value.venue;
      const answer =
        earlier?.status === 'rejected'
          ? earlier
          : await submitOnce(broker, {
              clientOrderId: id,
              symbol: order.symbol,
              side: 'buy',
              qty: order.qty,
              type: 'market',
              intent: 'entry',
              timeInForce: 'gtc',
              stopLoss: { clientOrderId: stopId, stopPrice: order.stopPrice },
            });
      const answered = await journalAnswer(store, journalled, answer);
      sent.push(id);
      if (answer.status === 'rejected') {
        refused.push(refusalOf(answer));
        // Its stop was never sent: the journal says so rather than waiting on it forever
        const { stopLoss: _entryStop, ...refusedEntry } = answer;
        await journalAnswer(store, journalledStop, {
          ...refusedEntry,
          clientOrderId: stopId,
          side: 'sell',
          type: 'stop',
          stopPrice: order.stopPrice,
          intent: 'stop',
          rejectReason: `not sent: its entry was refused (${answer.rejectReason ?? 'no reason given'})`,
        });
        continue;
      }
      // As journalled: an order an earlier attempt sent under another decision is booked as sent
      book(answered.value, answer, order);
    }
    if (pending.length !== portfolio.pending.length) {
      await saveWorkingPortfolio(store, date, { ...portfolio, pending }, version);
    }
    const artifact: OrdersArtifact = {
      sent,
      rejectedAtVenue: refused.length,
      refused,
      nextOrdinal: ordinal,
      kept: [...keptIds],
    };
    await putArtifact(store, date, 'orders', artifact);
    return withCounts(state, {
      entriesSent: sent.length - refused.length,
      entriesRejected: refused.length,
    });
  };

/**
 * The entries an earlier attempt of the run approved (and this one does not) that the venue has.
 * An order that never reached the venue is not sent: today's decision stands for it.
 */
async function keptEntries(
  store: StateStore,
  broker: Broker,
  ids: readonly string[],
): Promise<{ record: OrderRecord; answer: Order }[]> {
  const kept: { record: OrderRecord; answer: Order }[] = [];
  // One at a time: only a resumed run has any, and each may ask the venue
  for (const id of ids) {
    const found = await foundAtVenue(store, broker, id);
    if (found === undefined) continue;
    const { value } = await journalAnswer(store, found.record, found.answer);
    kept.push({ record: value, answer: found.answer });
  }
  return kept;
}

/** The books' pending entry for an order the venue accepted, as its journal record decided it. */
function pendingEntryOf(record: OrderRecord, answer: Order, order?: SizedOrder): PendingEntry {
  const stopPrice = record.stopPrice ?? answer.stopLoss?.stopPrice ?? order?.stopPrice;
  const targetPrice = record.targetPrice !== undefined ? record.targetPrice : order?.targetPrice;
  const strategy = STRATEGY_IDS.find((id) => id === record.strategy);
  if (stopPrice === undefined || targetPrice === undefined || strategy === undefined) {
    throw new CorruptStateError(
      `order ${record.clientOrderId} is at the venue but its journal record (strategy "${record.strategy}", stop ${stopPrice}, target ${targetPrice}) cannot book it`,
    );
  }
  return {
    intent: 'entry',
    clientOrderId: record.clientOrderId,
    decisionDate: record.decisionDate,
    symbol: record.symbol,
    qty: record.qty,
    strategy,
    stopOrderId:
      answer.stopLoss?.clientOrderId ??
      clientOrderId(record.decisionDate, record.symbol, 'sell', 'stop'),
    stopPrice,
    targetPrice,
  };
}
