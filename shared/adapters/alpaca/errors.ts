import {
  ApiError,
  AuthError,
  FetchError,
  NotFoundError,
  PermissionError,
  ValidationError,
} from '@alpacahq/alpaca-trade-api/rest';
import {
  type BrokerUnavailableError,
  ConfigError,
  InvalidInputError,
  type MarketDataUnavailableError,
  TradingError,
} from '../../domain/errors.js';

/** The core's transient error for the API a read went to: the broker's, or the market data's. */
export type Unavailable = typeof BrokerUnavailableError | typeof MarketDataUnavailableError;

// The SDK's own retry list (429 is its RateLimitError): once it gives up, the state machine retries
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * A failed read as the core's error, so the state machine retries only what may pass: throttling,
 * the 5xx, timeouts and the network become `unavailable` (after the SDK's own retries are spent);
 * bad keys and missing permissions are a deploy to fix (ConfigError); a refused request is a bug
 * or a bad input (InvalidInputError). `call` names the request (`GET /v2/stocks/bars`). Anything
 * that is not the SDK's (a bug here) passes through unchanged.
 */
export function readError(call: string, error: unknown, unavailable: Unavailable): unknown {
  if (error instanceof FetchError) {
    const cause = error.cause;
    const timedOut = cause?.name === 'TimeoutError' || cause?.name === 'AbortError';
    const reason = timedOut ? cause.message : `network failure: ${describeCause(cause)}`;
    return new unavailable(`Alpaca ${call}: ${reason}`, { cause: error });
  }
  if (!(error instanceof ApiError)) return error;
  const detail = `Alpaca ${call}: ${error.status} ${error.message}${idOf(error)}`;
  if (TRANSIENT_STATUSES.has(error.status) || error.status >= 500) {
    return new unavailable(detail, { cause: error });
  }
  if (error instanceof AuthError) {
    return new ConfigError(`${detail}: the API key or secret is wrong for this endpoint`, {
      cause: error,
    });
  }
  if (error instanceof PermissionError) {
    return new ConfigError(`${detail}: the account is not permitted this call`, { cause: error });
  }
  if (error instanceof ValidationError || error instanceof NotFoundError) {
    return new InvalidInputError(detail, { cause: error });
  }
  // A status Alpaca does not document for reads: named, never retried
  return new TradingError(detail, { cause: error });
}

/** Runs a read and maps what it throws (see readError). */
export async function mapRead<T>(
  call: string,
  unavailable: Unavailable,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw readError(call, error, unavailable);
  }
}

// Alpaca's request id cannot be looked up later: a message without it cannot go to support
function idOf(error: ApiError): string {
  const parts = [
    error.requestId && `request id ${error.requestId}`,
    error.code !== undefined && `code ${error.code}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

// Node's fetch fails with "fetch failed" and puts the reason (ECONNREFUSED, a reset) in its cause
function describeCause(cause: Error | undefined): string {
  const inner = (cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return [cause?.message, inner?.code ?? inner?.message].filter(Boolean).join(': ');
}
