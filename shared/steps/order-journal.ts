import type { Order, StateStore } from '../ports/index.js';
import { orderKey } from '../ports/index.js';
import { type OrderRecord, OrderRecordSchema } from './documents.js';

/**
 * Records what the bot means to send before it is sent, so that a crash between the decision and
 * the venue's answer leaves a trace to reconcile, and the order log can be read back from the store.
 * Rewriting the same record is harmless: the id and the decision are derived from the date.
 */
export async function journalOrder(store: StateStore, record: OrderRecord): Promise<void> {
  const key = orderKey(record.clientOrderId);
  const current = await store.get(key, OrderRecordSchema);
  if (current === undefined) {
    await store.put(key, record, null);
    return;
  }
  const merged = { ...record, venue: record.venue ?? current.value.venue };
  if (JSON.stringify(current.value) === JSON.stringify(merged)) return;
  await store.put(key, merged, current.version);
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
