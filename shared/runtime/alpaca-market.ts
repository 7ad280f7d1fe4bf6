import * as z from 'zod';
import { AlpacaBroker } from '../adapters/alpaca/broker.js';
import { CboeVixSource } from '../adapters/alpaca/cboe-vix.js';
import { type AlpacaConnection, alpacaClient } from '../adapters/alpaca/client.js';
import { AlpacaMarketData } from '../adapters/alpaca/market-data.js';
import { ParametersAndSecrets } from '../adapters/parameters-and-secrets.js';
import { alpacaSettings } from '../domain/config.js';
import { ConfigError } from '../domain/errors.js';
import { newYorkDateOf } from '../domain/time.js';
import type { Calendar, Clock, Venue } from '../ports/index.js';
import type { Market, Wiring } from './deps.js';
import type { Env } from './env.js';

const PAPER_ENDPOINT = 'https://paper-api.alpaca.markets';
const LIVE_HOST = 'api.alpaca.markets';

// What the user puts into the secret after deploy (infra/constructs/alpaca-secret.ts)
const SecretSchema = z.object({
  keyId: z.string().min(1),
  secret: z.string().min(1),
  endpoint: z.url().default(PAPER_ENDPOINT),
});

// The names Alpaca's own tools use, for a run on this machine: keys from the environment
const LocalKeysSchema = z.object({
  APCA_API_KEY_ID: z.string().min(1),
  APCA_API_SECRET_KEY: z.string().min(1),
  APCA_API_BASE_URL: z.url().default(PAPER_ENDPOINT),
  /** The market data API's origin, when not Alpaca's (an Alpaca-compatible server) */
  APCA_DATA_BASE_URL: z.url().optional(),
});

interface Keys {
  readonly keyId: string;
  readonly secret: string;
  readonly endpoint: string;
  readonly dataEndpoint?: string;
}

/** The keys and endpoint: the Secrets Manager secret in AWS, APCA_* variables on this machine. */
async function alpacaKeys(env: Env): Promise<Keys> {
  if (env.ALPACA_SECRET_ID !== undefined) {
    const text = await new ParametersAndSecrets().secretString(env.ALPACA_SECRET_ID);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConfigError(`the Alpaca secret ${env.ALPACA_SECRET_ID} is not JSON`);
    }
    const parsed = SecretSchema.safeParse(json);
    if (!parsed.success) {
      // The paths only: the values are the keys
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(secret)').join(', ');
      throw new ConfigError(
        `the Alpaca secret ${env.ALPACA_SECRET_ID} lacks or mistypes ${fields}`,
      );
    }
    return parsed.data;
  }
  const parsed = LocalKeysSchema.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new ConfigError(`BROKER=alpaca needs ${names} (or ALPACA_SECRET_ID in AWS)`);
  }
  const { APCA_API_KEY_ID, APCA_API_SECRET_KEY, APCA_API_BASE_URL, APCA_DATA_BASE_URL } =
    parsed.data;
  return {
    keyId: APCA_API_KEY_ID,
    secret: APCA_API_SECRET_KEY,
    endpoint: APCA_API_BASE_URL,
    ...(APCA_DATA_BASE_URL && { dataEndpoint: APCA_DATA_BASE_URL }),
  };
}

/**
 * Paper unless both the config and the endpoint say live: real money moves only by two choices
 * made in two places. A mismatch stops the run here, before any order.
 */
function connectionFor(keys: Keys, mode: 'paper' | 'live'): AlpacaConnection {
  const endpoint = new URL(keys.endpoint);
  const live = endpoint.host === LIVE_HOST;
  if (live !== (mode === 'live')) {
    throw new ConfigError(
      `the config says alpaca.mode=${mode} but the endpoint is ${endpoint.origin}: ` +
        (live
          ? 'set alpaca.mode to live to trade real money, or use the paper endpoint'
          : `live trading needs https://${LIVE_HOST}`),
    );
  }
  const alpacaHost = endpoint.host === LIVE_HOST || endpoint.host === new URL(PAPER_ENDPOINT).host;
  // Another origin is an Alpaca-compatible server: it answers the data API too unless told
  const dataOrigin = keys.dataEndpoint ?? (alpacaHost ? undefined : endpoint.origin);
  return {
    keyId: keys.keyId,
    secret: keys.secret,
    paper: !live,
    ...(!alpacaHost && { tradingOrigin: endpoint.origin }),
    ...(dataOrigin !== undefined && { dataOrigin }),
  };
}

/** The session whose closes value the account: today's once it has closed, else the last one. */
async function lastSession(calendar: Calendar, clock: Clock): Promise<string> {
  const today = newYorkDateOf(clock.now());
  const day = await calendar.day(today);
  return day.open ? today : calendar.previousSession(today);
}

// Alpaca trades between runs on its own: there is no session for the bot to open
const REAL_VENUE: Venue = { openSessionsThrough: async () => {} };

/** The market part on Alpaca: its bars (and CBOE's VIX), its broker, no venue to drive. */
export async function alpacaMarket({ env, config, calendar, clock }: Wiring): Promise<Market> {
  const settings = alpacaSettings(config);
  const client = alpacaClient({
    ...connectionFor(await alpacaKeys(env), settings.mode),
    ...(env.ALPACA_TIMEOUT_MS !== undefined && { timeoutMs: env.ALPACA_TIMEOUT_MS }),
    ...(env.ALPACA_RETRY_DELAY_MS !== undefined && {
      retry: { retryDelayMs: env.ALPACA_RETRY_DELAY_MS },
    }),
  });
  const marketData = new AlpacaMarketData(client, {
    symbols: settings.universe,
    feed: settings.feed,
    calendar,
    vix: new CboeVixSource({ calendar, ...(env.VIX_URL && { url: env.VIX_URL }) }),
  });
  const broker = new AlpacaBroker(client, {
    lastCloses: async () => {
      const day = await marketData.dayBars(await lastSession(calendar, clock));
      // A symbol without a bar today (NaN) is left out: the broker falls back to its last close
      const closes = day.symbols.map((symbol, s): [string, number] => [symbol, day.close[s]!]);
      return new Map(closes.filter(([, close]) => Number.isFinite(close)));
    },
  });
  return { marketData, broker, venue: REAL_VENUE };
}
