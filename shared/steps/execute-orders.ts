import type { SizedOrder } from '../domain/model.js';
import { clientOrderId } from '../domain/orders/client-order-id.js';
import type { PendingEntry } from '../domain/portfolio/portfolio.js';
import {
  DayArtifactSchema,
  DecisionsArtifactSchema,
  type OrderRecord,
  type OrdersArtifact,
  type Refusal,
  refusalOf,
} from './documents.js';
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
    const [{ decisions }, { value: portfolio, version }, day] = await Promise.all([
      requireArtifact(store, date, 'decisions', DecisionsArtifactSchema),
      loadWorkingPortfolio(store, date),
      requireArtifact(store, date, 'day', DayArtifactSchema),
    ]);
    // The journal's ordinals go on after the stops fetch-data re-placed today
    const first = day.nextOrdinal;
    const rejected = decisions.filter((d) => !d.approved);
    await Promise.all(
      rejected.map(({ order, reason, detail }, i) =>
        journalOrder(store, entryRecord(date, order, first + i, [reason, detail].join(': '))),
      ),
    );
    let ordinal = first + rejected.length;
    const pending = [...portfolio.pending];
    const sent: string[] = [];
    const refused: Refusal[] = [];
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
      await journalAnswer(store, journalled, answer);
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
    const artifact: OrdersArtifact = {
      sent,
      rejectedAtVenue: refused.length,
      refused,
      nextOrdinal: ordinal,
    };
    await putArtifact(store, date, 'orders', artifact);
    return withCounts(state, {
      entriesSent: sent.length - refused.length,
      entriesRejected: refused.length,
    });
  };
