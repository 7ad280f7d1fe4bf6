import type { RiskDecision } from '../domain/model.js';
import type { Order } from '../ports/index.js';
import type { OrderRecord } from '../steps/submit-once.js';

export interface OrderLogRow {
  readonly decisionDate: string;
  readonly fillDate: string | null;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly fillPrice: number | null;
  readonly strategy: string;
  readonly reason: string;
  /** Empty for orders the risk checks stopped before they were sent */
  readonly clientOrderId: string;
  readonly status: string;
}

/** Joins what the bot meant (records) with what the venue did (orders) into one row per order. */
export function orderLogRow(record: OrderRecord, order: Order | undefined): OrderLogRow {
  const status = order?.status ?? 'not placed';
  const rejection = order?.rejectReason ? ` (rejected: ${order.rejectReason})` : '';
  return {
    decisionDate: record.decisionDate,
    fillDate: order?.filledDate ?? null,
    symbol: record.symbol,
    side: record.side,
    qty: order?.status === 'filled' ? order.filledQty : record.qty,
    fillPrice: order?.filledAvgPrice ?? null,
    strategy: record.strategy,
    reason: record.reason + rejection,
    clientOrderId: record.clientOrderId,
    status: status === 'accepted' ? 'open' : status,
  };
}

/** A row for an order the risk checks rejected: never sent, so no client order id. */
export function rejectedOrderRow(decisionDate: string, decision: RiskDecision): OrderLogRow {
  return {
    decisionDate,
    fillDate: null,
    symbol: decision.order.symbol,
    side: 'buy',
    qty: decision.order.qty,
    fillPrice: null,
    strategy: decision.order.strategy,
    // join, not a template literal: it copies into one flat string, where concatenation keeps
    // the pieces of the detail alive as a tree of strings. A run holds ~20,000 of these rows
    reason: [decision.reason, decision.detail].join(': '),
    clientOrderId: '',
    status: 'risk-rejected',
  };
}
