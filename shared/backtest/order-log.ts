import type { OrderRecord } from '../steps/documents.js';

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

/** One row of orders.csv: what the bot meant (the journal) with what the venue last said of it. */
export function orderLogRow(record: OrderRecord): OrderLogRow {
  if (record.riskRejected) {
    return {
      decisionDate: record.decisionDate,
      fillDate: null,
      symbol: record.symbol,
      side: record.side,
      qty: record.qty,
      fillPrice: null,
      strategy: record.strategy,
      reason: record.reason,
      clientOrderId: '',
      status: 'risk-rejected',
    };
  }
  const order = record.venue;
  const status = order?.status ?? 'not placed';
  const rejection = order?.rejectReason ? ` (rejected: ${order.rejectReason})` : '';
  return {
    decisionDate: record.decisionDate,
    fillDate: order?.filledDate ?? null,
    symbol: record.symbol,
    side: record.side,
    // What traded, when anything did (an order cancelled or expired after a partial fill too)
    qty: order !== null && order.filledQty > 0 ? order.filledQty : record.qty,
    fillPrice: order?.filledAvgPrice ?? null,
    strategy: record.strategy,
    reason: record.reason + rejection,
    clientOrderId: record.clientOrderId,
    status,
  };
}
