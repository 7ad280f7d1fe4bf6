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

/**
 * Why a lot's stop is placed again on its own: `protect` at the start of a run (its stop ended at
 * the broker, or covers other than the shares the lot holds), `kept` when the lot's exit did not
 * go out after its stop had been cancelled to free the shares (the venue refused the exit, or
 * another stop of the same exit traded before its cancel took).
 */
export type StopReplacement = 'protect' | 'kept';

/**
 * The id of a lot's stop placed again on a date, for one reason: the trading date, the symbol and
 * the date of the lot's entry (one entry per symbol and date, so the lot is named), and the
 * reason. A rerun of the same step derives the same id and finds the order; a later re-place (the
 * other reason that day, or another day) gets another.
 */
export function replacedStopId(
  tradingDate: string,
  lot: { readonly symbol: string; readonly entryOrderId: string },
  why: StopReplacement,
): string {
  const entry = parseClientOrderId(lot.entryOrderId);
  if (entry?.intent !== 'entry' || entry.symbol !== lot.symbol) {
    throw new InvalidInputError(`${lot.entryOrderId} is not an entry of ${lot.symbol}`);
  }
  const id = `${clientOrderId(tradingDate, lot.symbol, 'sell', 'stop')}-${entry.tradingDate}-${why}`;
  if (id.length > MAX_LENGTH)
    throw new InvalidInputError(`client order id longer than ${MAX_LENGTH}: ${id}`);
  return id;
}

/** What a client order id of this module says: its trading date, symbol, side and intent. */
export interface ClientOrderIdParts {
  readonly tradingDate: string;
  readonly symbol: string;
  readonly side: Side;
  readonly intent: Intent;
}

// A replaced stop adds `-<entry date>-<why>` (earlier ones `-<strategy>`); a symbol never holds
// `-buy-`/`-sell-` (Alpaca writes BRK.B)
const PARTS = /^(\d{4}-\d{2}-\d{2})-(.+?)-(buy|sell)-(entry|exit|stop)(?:-.+)?$/;

/** The parts of an id clientOrderId or replacedStopId made, or undefined for any other id. */
export function parseClientOrderId(id: string): ClientOrderIdParts | undefined {
  const match = PARTS.exec(id);
  if (match === null) return undefined;
  const [, tradingDate, symbol, side, intent] = match;
  return {
    tradingDate: tradingDate!,
    symbol: symbol!,
    side: side as Side,
    intent: intent as Intent,
  };
}

/**
 * The entry whose protective stop this is, for a stop sent with its entry (one-triggers-other):
 * a venue that names the leg itself is asked for the entry's legs. Undefined for any other id,
 * a re-placed stop among them (it was sent on its own, under its own id).
 */
export function entryOfStop(stopId: string): string | undefined {
  const parts = parseClientOrderId(stopId);
  if (
    parts?.intent !== 'stop' ||
    stopId !== clientOrderId(parts.tradingDate, parts.symbol, 'sell', 'stop')
  ) {
    return undefined;
  }
  return clientOrderId(parts.tradingDate, parts.symbol, 'buy', 'entry');
}
