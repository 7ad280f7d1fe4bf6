import { InvalidInputError } from '../errors.js';
import type { Intent, Side } from '../model.js';

// Alpaca's limit; ids must also be unique forever, which the trading date guarantees
const MAX_LENGTH = 128;

/**
 * The id a live run and the backtest of the same day both derive, so a retried step finds its
 * order at the broker instead of sending a second one.
 */
export function clientOrderId(
  tradingDate: string,
  symbol: string,
  side: Side,
  intent: Intent,
): string {
  const id = `${tradingDate}-${symbol}-${side}-${intent}`;
  if (id.length > MAX_LENGTH)
    throw new InvalidInputError(`client order id longer than ${MAX_LENGTH}: ${id}`);
  return id;
}

/** The id of a lot's stop re-placed on a date after its exit was refused: one per lot and date. */
export function replacedStopId(
  tradingDate: string,
  lot: { readonly symbol: string; readonly strategy: string },
): string {
  const id = `${clientOrderId(tradingDate, lot.symbol, 'sell', 'stop')}-${lot.strategy}`;
  if (id.length > MAX_LENGTH)
    throw new InvalidInputError(`client order id longer than ${MAX_LENGTH}: ${id}`);
  return id;
}
