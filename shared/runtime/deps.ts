import * as z from 'zod';
import { dynamoDbDocumentClient } from '../adapters/aws-clients.js';
import { DynamoDbStateStore } from '../adapters/dynamodb-state-store.js';
import { SimulatedClock } from '../backtest/simulated/in-memory.js';
import type { TradingConfig } from '../domain/config.js';
import { ConfigError } from '../domain/errors.js';
import type {
  Broker,
  Calendar,
  Clock,
  Mailer,
  MarketData,
  ObjectStore,
  StateStore,
  Venue,
} from '../ports/index.js';
import type { StepDeps } from '../steps/types.js';
import { readTradingConfig } from './config-source.js';
import type { Env } from './env.js';
import type { News } from './news.js';

/**
 * An adapter built from the wiring, once per wiring: every handler of a process that names it
 * shares one (one simulated venue for all the steps of a local run).
 */
export type Part<T> = (wiring: Wiring) => T | Promise<T>;

/** The market side: bars, and the venue that trades on them. */
export interface Market {
  readonly marketData: MarketData;
  readonly broker: Broker;
  readonly venue: Venue;
}

/**
 * What a function brings beyond the core (config, state documents, clock). A handler names only
 * the parts its step uses, so its bundle imports nothing else: the S3 client, the venue, the
 * mailer and Alpaca's calendar and news are each in the bundles that need them and no other.
 */
export interface Uses {
  /** The state's large snapshots (S3): fetch-data reads and writes the market state */
  readonly objects?: Part<ObjectStore>;
  readonly market?: Part<Market>;
  readonly mailer?: Part<Mailer | null>;
  /** The exchange calendar (Alpaca's on BROKER=alpaca): every step that reads it names it */
  readonly calendar?: Part<Calendar>;
  /** Headlines and their scorer for news-sentiment; null without a news source */
  readonly news?: Part<News | null>;
}

/** The cold start's core: what every function needs, and the parts its handler names. */
export interface Wiring {
  readonly env: Env;
  readonly config: TradingConfig;
  readonly clock: Clock;
  /** The state's documents, for a part that keeps one of its own (the VIX memory); no snapshots */
  readonly documents: StateStore;
  /** Called before each step with the run's date: a `trading-date` clock moves to it */
  atRun(tradingDate: string): void;
  /** The part, built on its first use in this wiring and shared from then on. */
  use<T>(part: Part<T>): Promise<T>;
  /** The steps' dependencies with the parts `uses` names; `fn` names the function in errors. */
  depsFor(uses: Uses, fn: string): Promise<StepDeps>;
}

const ISO_DATE = z.iso.date();

class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** The one place the runtime's core is built, once per cold start. */
export async function wire(env: Env): Promise<Wiring> {
  const config = await readTradingConfig(env);
  const documents = dynamoDbDocumentClient({
    region: env.AWS_REGION,
    ...(env.DYNAMODB_ENDPOINT && { endpoint: env.DYNAMODB_ENDPOINT }),
  });
  const simulated = env.RUN_CLOCK === 'trading-date' ? new SimulatedClock() : null;
  const parts = new Map<Part<unknown>, Promise<unknown>>();
  const deps = new Map<Uses, Promise<StepDeps>>();

  const wiring: Wiring = {
    env,
    config,
    clock: simulated ?? new SystemClock(),
    documents: new DynamoDbStateStore(documents, env.STATE_TABLE, unwired('objects', 'the wiring')),
    // A malformed date reaches only the failure report, which needs no clock of its own
    atRun: (tradingDate) => {
      if (ISO_DATE.safeParse(tradingDate).success)
        simulated?.setTradingDate(tradingDate, env.RUN_TIME);
    },
    use<T>(part: Part<T>): Promise<T> {
      let built = parts.get(part);
      if (built === undefined) {
        // A part that failed to build is forgotten, so the next invoke tries again
        built = Promise.resolve(part(wiring)).catch((error: unknown) => {
          parts.delete(part);
          throw error;
        });
        parts.set(part, built);
      }
      return built as Promise<T>;
    },
    depsFor(uses, fn) {
      let built = deps.get(uses);
      if (built === undefined) {
        built = buildDeps(wiring, documents, uses, fn).catch((error: unknown) => {
          deps.delete(uses);
          throw error;
        });
        deps.set(uses, built);
      }
      return built;
    },
  };
  return wiring;
}

async function buildDeps(
  wiring: Wiring,
  documents: ReturnType<typeof dynamoDbDocumentClient>,
  uses: Uses,
  fn: string,
): Promise<StepDeps> {
  const [objects, market, mailer, calendar, news] = await Promise.all([
    uses.objects ? wiring.use(uses.objects) : unwired<ObjectStore>('objects', fn),
    uses.market ? wiring.use(uses.market) : unwiredMarket(fn),
    uses.mailer ? wiring.use(uses.mailer) : unwired<Mailer>('mailer', fn),
    uses.calendar ? wiring.use(uses.calendar) : unwired<Calendar>('calendar', fn),
    uses.news ? wiring.use(uses.news) : unwiredNews(fn),
  ]);
  const { env, config, clock } = wiring;
  return {
    config,
    calendar,
    clock,
    store: new DynamoDbStateStore(documents, env.STATE_TABLE, objects),
    ...market,
    mailer,
    news: news?.news ?? null,
    sentiment: news?.sentiment ?? null,
  };
}

const unwiredMarket = (fn: string): Market => ({
  marketData: unwired('market', fn),
  broker: unwired('market', fn),
  venue: unwired('market', fn),
});

const unwiredNews = (fn: string): News => ({
  news: unwired('news', fn),
  sentiment: unwired('news', fn),
});

/**
 * Stands in for a part a handler does not name: any call fails with a ConfigError that says which
 * function lacks which part, rather than a bundle quietly carrying every adapter.
 */
function unwired<T extends object>(part: keyof Uses, fn: string): T {
  return new Proxy({} as T, {
    get(_, property) {
      // Not a thenable: awaiting the stand-in itself is no use of it
      if (property === 'then') return undefined;
      return () => {
        throw new ConfigError(
          `${fn} called ${String(property)}() of the ${part}, which its handler does not wire: add it to the handler's uses`,
        );
      };
    },
  });
}
