import type { Broker, Order, OrderRequest } from '../ports/index.js';

/**
 * Sends an order at most once: looks its client id up first (a retried step finds what the last
 * attempt sent), and after a failure of unknown outcome looks again instead of resending.
 * A venue's refusal comes back as an order with status 'rejected', not as a throw.
 */
export async function submitOnce(broker: Broker, request: OrderRequest): Promise<Order> {
  const existing = await broker.getOrder(request.clientOrderId);
  if (existing) return existing;
  try {
    return await broker.submitOrder(request);
  } catch (error) {
    const landed = await broker.getOrder(request.clientOrderId).catch(() => undefined);
    if (landed) return landed;
    throw error;
  }
}
