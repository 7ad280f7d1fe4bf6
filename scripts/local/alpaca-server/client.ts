import { Alpaca, type AlpacaClientOptions, type trading } from '@alpacahq/alpaca-trade-api/rest';

/**
 * A middleware that sends every request to `origin` instead of Alpaca's hosts. The SDK has no
 * base URL option; a `pre` hook may return a new URL, and it runs after the SDK's own rate limit
 * and before its fetch, so retries and typed errors behave as against Alpaca.
 */
export function originRewrite(origin: string): trading.Middleware {
  const target = new URL(origin);
  return {
    async pre({ url, init }) {
      const next = new URL(url);
      next.protocol = target.protocol;
      next.host = target.host;
      return { url: next.toString(), init };
    },
  };
}

/**
 * The real SDK pointed at a test server: the server's keys, paper, no client-side rate limit (tests
 * burst), and the SDK's retries with short delays so a retried read takes milliseconds.
 */
export function alpacaClientFor(
  server: { readonly url: string; readonly keyId: string; readonly secret: string },
  options: AlpacaClientOptions = {},
): Alpaca {
  return new Alpaca({
    keyId: server.keyId,
    secret: server.secret,
    paper: true,
    rateLimit: false,
    retry: { retryDelayMs: 5, maxDelayMs: 20 },
    ...options,
    middleware: [originRewrite(server.url), ...(options.middleware ?? [])],
  });
}
