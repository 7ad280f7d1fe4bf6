import {
  type Broker,
  type Order,
  orderKey,
  StateConflictError,
  type StateStore,
  type Versioned,
} from '../ports/index.js';
import { type OrderRecord, OrderRecordSchema } from './documents.js';

/** An order's record as stored, with its version: the venue's answer is written on that version. */
export type Journalled = Versioned<OrderRecord>;

/**
 * Records what the bot means to send before it is sent, so that a crash between the decision and
 * the venue's answer leaves a trace to reconcile, and the order log can be read back from the store.
 * Rewriting the same record is harmless: the id and the decision are derived from the date. A
 * record already journalled keeps the venue's answer it holds, which the result carries.
 */
export async function journalOrder(store: StateStore, record: OrderRecord): Promise<Journalled> {
  // Almost always a new order: create it, and read only when a rerun finds it there
  try {
    return {
      value: record,
      version: await store.put(orderKey(record.clientOrderId), record, null),
    };
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
  }
  return mergeIntoStored(store, record);
}

/** Records the venue's answer on an order journalled a moment ago, on the version that wrote it. */
export async function journalAnswer(
  store: StateStore,
  journalled: Journalled,
  venue: Order,
): Promise<Journalled> {
  const value = { ...journalled.value, venue };
  if (JSON.stringify(value) === JSON.stringify(journalled.value)) return journalled;
  try {
    const key = orderKey(value.clientOrderId);
    return { value, version: await store.put(key, value, journalled.version) };
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
  }
  // Another attempt of this step wrote in between: the answer goes onto what it left
  return mergeIntoStored(store, value);
}

/**
 * Writes `record` onto the stored one. A record the venue has answered keeps the decision it holds,
 * whatever a later attempt decided: that decision is the order the venue has, and the books must
 * follow it; only the venue's word moves on.
 */
async function mergeIntoStored(store: StateStore, record: OrderRecord): Promise<Journalled> {
  const key = orderKey(record.clientOrderId);
  const current = await store.get(key, OrderRecordSchema);
  if (current === undefined) return { value: record, version: await store.put(key, record, null) };
  const decided = current.value.venue === null ? record : current.value;
  const merged = { ...decided, venue: record.venue ?? current.value.venue };
  if (JSON.stringify(current.value) === JSON.stringify(merged)) return current;
  return { value: merged, version: await store.put(key, merged, current.version) };
}

/**
 * An entry as the venue holds it, if it does: the journal's answer, or the venue's own when an
 * attempt stopped before journalling it. An order journalled but never sent, refused, or ended
 * with nothing filled holds nothing there.
 */
export async function foundAtVenue(
  store: StateStore,
  broker: Broker,
  clientOrderId: string,
): Promise<{ record: Journalled; answer: Order } | undefined> {
  const record = await store.get(orderKey(clientOrderId), OrderRecordSchema);
  // Journalled before it is sent: without a record it was never sent
  if (record === undefined) return undefined;
  const answer = record.value.venue ?? (await broker.getOrder(clientOrderId));
  if (answer === undefined || answer.status === 'rejected') return undefined;
  if ((answer.status === 'canceled' || answer.status === 'expired') && answer.filledQty === 0) {
    return undefined;
  }
  return { record, answer };
}

/** Stores the venue's latest word on orders the bot journalled; unknown ids are not the bot's. */
export async function journalVenue(store: StateStore, orders: Iterable<Order>): Promise<void> {
  // Each order's record is its own document: they can be brought up to date side by side
  await Promise.all(
    [...orders].map(async (order) => {
      const key = orderKey(order.clientOrderId);
      const current = await store.get(key, OrderRecordSchema);
      if (!current) return;
      if (JSON.stringify(current.value.venue) === JSON.stringify(order)) return;
      await store.put(key, { ...current.value, venue: order }, current.version);
    }),
  );
}

/** Every journalled order, in the order the backtest's orders.csv lists them. */
export async function readJournal(store: StateStore): Promise<OrderRecord[]> {
  const records = (await store.list('order', OrderRecordSchema)).map((r) => r.value);
  return records.sort((a, b) =>
    a.decisionDate < b.decisionDate
      ? -1
      : a.decisionDate > b.decisionDate
        ? 1
        : a.ordinal - b.ordinal,
  );
}
