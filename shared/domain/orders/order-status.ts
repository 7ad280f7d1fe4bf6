import type { OrderStatus } from './order.js';

/**
 * Still working at the venue: it may fill yet, so nothing it did is final. A cancel pending counts:
 * the order can still trade until the venue completes it.
 */
export const isWorking = (order: { readonly status: OrderStatus }): boolean =>
  order.status === 'open' || order.status === 'pending_cancel';

/**
 * An order as an earlier version stored it (a journal record, a saved simulated venue), in the
 * words the port uses now: a working order was `accepted` before it was `open`, and orders carried
 * no time in force. What they were sent with then is known: stops and one-triggers-other entries
 * good till cancelled, plain market orders for the day. Anything else passes through unchanged,
 * for the schema to judge.
 */
export function upgradeStoredOrder(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const order = value as Record<string, unknown>;
  if (order.status !== 'accepted' && order.timeInForce !== undefined) return value;
  return {
    ...order,
    status: order.status === 'accepted' ? 'open' : order.status,
    timeInForce:
      order.timeInForce ?? (order.type === 'stop' || order.stopLoss !== undefined ? 'gtc' : 'day'),
  };
}
