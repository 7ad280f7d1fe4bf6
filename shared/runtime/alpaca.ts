import type { Alpaca } from '@alpacahq/alpaca-trade-api/rest';
import * as z from 'zod';
import { type AlpacaConnection, alpacaClient } from '../adapters/alpaca/client.js';
import { ParametersAndSecrets } from '../adapters/parameters-and-secrets.js';
import { alpacaSettings } from '../domain/config.js';
import { ConfigError } from '../domain/errors.js';
import type { Part } from './deps.js';
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

/**
 * The SDK client of a BROKER=alpaca wiring: one per cold start, shared by the market, the calendar
 * and the news, so that they keep to one rate limit and a wrong mode or endpoint stops the first
 * of them to reach Alpaca.
 */
export const alpaca: Part<Alpaca> = async ({ env, config }) =>
  alpacaClient({
    ...connectionFor(await alpacaKeys(env), alpacaSettings(config).mode),
    ...(env.ALPACA_TIMEOUT_MS !== undefined && { timeoutMs: env.ALPACA_TIMEOUT_MS }),
    ...(env.ALPACA_RETRY_DELAY_MS !== undefined && {
      retry: { retryDelayMs: env.ALPACA_RETRY_DELAY_MS },
    }),
  });
