import { nyseDay, previousSession, sessionsBetween } from '../domain/calendar/nyse.js';
import type { Calendar, MarketDay } from '../ports/index.js';

/** The NYSE calendar computed from the exchange's rules: no network, so backtests and tests run offline. */
export class RulesCalendar implements Calendar {
  async day(date: string): Promise<MarketDay> {
    return nyseDay(date);
  }

  async previousSession(date: string): Promise<string> {
    return previousSession(date);
  }

  async sessionsBetween(after: string, before: string): Promise<readonly string[]> {
    return sessionsBetween(after, before);
  }
}
