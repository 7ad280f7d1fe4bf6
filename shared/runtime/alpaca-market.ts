import { AlpacaBroker } from '../adapters/alpaca/broker.js';
import { CboeVixSource } from '../adapters/alpaca/cboe-vix.js';
import { AlpacaMarketData } from '../adapters/alpaca/market-data.js';
import { onFirstUse } from '../adapters/on-first-use.js';
import { VIX_MEMORY_KEY } from '../adapters/state-layout.js';
import { alpacaSettings } from '../domain/config.js';
import { newYorkDateOf } from '../domain/time.js';
import type { Calendar, Clock, ObjectStore, Venue } from '../ports/index.js';
import { alpaca } from './alpaca.js';
import { calendar as calendarPart } from './calendar.js';
import type { Market, Wiring } from './deps.js';

/** The session whose closes value the account: today's once it has closed, else the last one. */
async function lastSession(calendar: Calendar, clock: Clock): Promise<string> {
  const today = newYorkDateOf(clock.now());
  const day = await calendar.day(today);
  return day.open ? today : calendar.previousSession(today);
}

// Alpaca trades between runs on its own: there is no session for the bot to open
const REAL_VENUE: Venue = { openSessionsThrough: async () => {} };

/**
 * The state bucket, opened when the VIX is first read or remembered. Imported then: a step that
 * never reads the VIX builds no S3 client (fetch-data has one anyway)
 */
function stateBucket(wiring: Wiring): ObjectStore {
  const open = onFirstUse(async () => wiring.use((await import('./objects.js')).objects));
  return {
    get: async (key) => (await open()).get(key),
    put: async (key, body) => (await open()).put(key, body),
  };
}

/**
 * The market part on Alpaca: its bars (and CBOE's VIX), its broker, no venue to drive. Its
 * sessions are the wiring's calendar part, the one the steps read: Alpaca's.
 */
export async function alpacaMarket(wiring: Wiring): Promise<Market> {
  const { env, config, clock } = wiring;
  const settings = alpacaSettings(config);
  const [client, calendar] = await Promise.all([wiring.use(alpaca), wiring.use(calendarPart)]);
  const marketData = new AlpacaMarketData(client, {
    symbols: settings.universe,
    feed: settings.feed,
    calendar,
    vix: new CboeVixSource({
      calendar,
      ...(env.VIX_URL && { url: env.VIX_URL }),
      memory: { store: stateBucket(wiring), key: VIX_MEMORY_KEY },
    }),
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
