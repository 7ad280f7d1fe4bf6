import { Alpaca, type trading } from '@alpacahq/alpaca-trade-api/rest';

/** What it takes to reach Alpaca: the keys (from the secret), the environment and any endpoints. */
export interface AlpacaConnection {
  readonly keyId: string;
  readonly secret: string;
  /** Paper unless told: live trading is an explicit choice */
  readonly paper?: boolean;
  /** Replaces the trading API's origin (APCA_API_BASE_URL): an Alpaca-compatible server */
  readonly tradingOrigin?: string;
  /** Replaces the market data API's origin (APCA_DATA_BASE_URL), news included */
  readonly dataOrigin?: string;
  /** Per attempt; the SDK's 30 s unless told */
  readonly timeoutMs?: number;
  /** Overrides of READ_RETRY (tests shorten the delays) */
  readonly retry?: trading.RetryConfig;
}

/**
 * The SDK's own retry, which only ever repeats GET (never an order submit): 429, 408, 425 and the
 * 5xx it lists, and network failures other than a timeout. Backoff 0.5, 1, 2 s with jitter; a 429
 * waits for its Retry-After, which `rateLimitReset` supplies from Alpaca's X-RateLimit-Reset, so
 * the cap is a whole rate-limit window (one wait always reaches a fresh window)
 */
export const READ_RETRY = {
  maxRetries: 3,
  retryDelayMs: 500,
  maxDelayMs: 60_000,
  respectRetryAfter: true,
} as const satisfies trading.RetryConfig;

/** Alpaca's budget per API and key; the SDK queues requests client-side to stay within it. */
export const RATE_LIMIT = { maxRequests: 200, intervalMs: 60_000 } as const;

const TRADING_HOSTS = new Set(['paper-api.alpaca.markets', 'api.alpaca.markets']);
const DATA_HOSTS = new Set(['data.alpaca.markets', 'data.sandbox.alpaca.markets']);

/** The SDK client for a connection: the one place its retry, rate limit and endpoints are set. */
export function alpacaClient(connection: AlpacaConnection): Alpaca {
  const { tradingOrigin, dataOrigin } = connection;
  return new Alpaca({
    keyId: connection.keyId,
    secret: connection.secret,
    paper: connection.paper ?? true,
    ...(connection.timeoutMs !== undefined && { timeoutMs: connection.timeoutMs }),
    retry: { ...READ_RETRY, ...connection.retry },
    rateLimit: RATE_LIMIT,
    middleware: [
      ...(tradingOrigin || dataOrigin ? [endpointOverride({ tradingOrigin, dataOrigin })] : []),
      rateLimitReset(),
    ],
  });
}

/**
 * Sends trading and data calls to other origins. The SDK has no base URL option; a `pre` hook
 * may return a new URL, and it runs after the SDK's rate limit and before each attempt's fetch,
 * so retries, timeouts and typed errors behave as against Alpaca.
 */
export function endpointOverride(origins: {
  readonly tradingOrigin?: string | undefined;
  readonly dataOrigin?: string | undefined;
}): trading.Middleware {
  return {
    async pre({ url, init }) {
      const next = new URL(url);
      const origin = TRADING_HOSTS.has(next.host)
        ? origins.tradingOrigin
        : DATA_HOSTS.has(next.host)
          ? origins.dataOrigin
          : undefined;
      if (origin === undefined) return { url, init };
      const target = new URL(origin);
      next.protocol = target.protocol;
      next.host = target.host;
      return { url: next.toString(), init };
    },
  };
}

/**
 * Alpaca answers a 429 with X-RateLimit-Reset (unix seconds) and no Retry-After, and the SDK's
 * retry honours only Retry-After: without this a retried 429 comes back within a second, inside
 * the same exhausted window. At least a second, so a clock skewed past the reset cannot turn
 * the retries into a burst
 */
export function rateLimitReset(now: () => number = Date.now): trading.Middleware {
  return {
    async post({ response }) {
      const reset = Number(response.headers.get('X-RateLimit-Reset'));
      if (response.status !== 429 || response.headers.has('Retry-After') || !(reset > 0)) return;
      const headers = new Headers(response.headers);
      headers.set('Retry-After', String(Math.max(1, Math.ceil(reset - now() / 1000))));
      const { status, statusText } = response;
      return new Response(response.body, { status, statusText, headers });
    },
  };
}
