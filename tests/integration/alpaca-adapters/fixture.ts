import type { Alpaca } from '@alpacahq/alpaca-trade-api/rest';
import type { AlpacaTestServer } from '../../../scripts/local/alpaca-server/index.js';
import { type AlpacaConnection, alpacaClient } from '../../../shared/adapters/alpaca/client.js';
import { loadDataFolder } from '../../../shared/adapters/data-folder.js';
import { RulesCalendar } from '../../../shared/adapters/rules-calendar.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';

let shipped: Promise<MarketHistory> | undefined;

/** The shipped data, loaded once a test file (the price file is 6.5 MB). */
export const shippedHistory = (): Promise<MarketHistory> =>
  (shipped ??= loadDataFolder('data', { benchmark: 'none' }));

/**
 * The production client pointed at a test server: the same retry policy and rate-limit handling,
 * with backoff delays of milliseconds so a retried read stays fast. Retry-After is still honoured
 * up to 2 s.
 */
export function testClient(
  server: AlpacaTestServer,
  options: Partial<AlpacaConnection> = {},
): Alpaca {
  return alpacaClient({
    keyId: server.keyId,
    secret: server.secret,
    tradingOrigin: server.url,
    dataOrigin: server.url,
    ...options,
    retry: { retryDelayMs: 5, maxDelayMs: 2_000, ...options.retry },
  });
}

/** The NYSE rules: what the VIX staleness rule counts sessions with in these tests. */
export const rulesCalendar = new RulesCalendar();
