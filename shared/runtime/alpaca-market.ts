import { AlpacaBroker } from '../adapters/alpaca/broker.js';
import { CboeVixSource } from '../adapters/alpaca/cboe-vix.js';
import { AlpacaMarketData } from '../adapters/alpaca/market-data.js';
import { alpacaSettings } from '../domain/config.js';
import { newYorkDateOf } from '../domain/time.js';
import type { Calendar, Clock, Venue } from '../ports/index.js';
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
      memory: wiring.documents,
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
