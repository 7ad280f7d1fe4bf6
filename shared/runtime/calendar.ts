import { onFirstUse } from '../adapters/on-first-use.js';
import { RulesCalendar } from '../adapters/rules-calendar.js';
import type { Calendar, MarketDay } from '../ports/index.js';
import type { Part } from './deps.js';

/**
 * The calendar part: Alpaca's own (`GET /v2/calendar`) on BROKER=alpaca, so that an unscheduled
 * closure reaches the run, and the NYSE rules for a simulated venue. Every step that reads the
 * calendar names this part, and the Alpaca market uses it too: one calendar a run.
 */
export const calendar: Part<Calendar> = (wiring) =>
  wiring.env.BROKER === 'alpaca'
    ? new LazyCalendar(async () => {
        // Imported for an Alpaca run only, as the market is (market.ts): the SDK is tens of ms
        // of a local simulated start
        const [{ alpaca }, { AlpacaCalendar }] = await Promise.all([
          import('./alpaca.js'),
          import('../adapters/alpaca/calendar.js'),
        ]);
        return new AlpacaCalendar(await wiring.use(alpaca));
      })
    : new RulesCalendar();

/**
 * A calendar whose client is built on its first question. The report names the calendar and is
 * also the failure report: a secret that cannot be read must fail the question that needs it,
 * never the wiring of the email that says the run failed.
 */
class LazyCalendar implements Calendar {
  readonly #open: () => Promise<Calendar>;

  constructor(open: () => Promise<Calendar>) {
    this.#open = onFirstUse(open);
  }

  async day(date: string): Promise<MarketDay> {
    return (await this.#open()).day(date);
  }

  async previousSession(date: string): Promise<string> {
    return (await this.#open()).previousSession(date);
  }

  async sessionsBetween(after: string, before: string): Promise<readonly string[]> {
    return (await this.#open()).sessionsBetween(after, before);
  }
}
