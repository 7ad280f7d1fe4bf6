import * as z from 'zod';
import { dynamoDbDocumentClient, s3Client } from '../adapters/aws-clients.js';
import { readConfigFile } from '../adapters/config-file.js';
import { loadDataFolder } from '../adapters/data-folder.js';
import { DynamoDbStateStore } from '../adapters/dynamodb-state-store.js';
import { FileOutbox } from '../adapters/file-outbox.js';
import { FileSimulatedBroker } from '../adapters/file-simulated-broker.js';
import { LazyBroker, LazyMarketData } from '../adapters/on-first-use.js';
import { RulesCalendar } from '../adapters/rules-calendar.js';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { HistoryMarketData } from '../backtest/history-market-data.js';
import { SimulatedClock } from '../backtest/simulated/in-memory.js';
import { emailEnvelope, parseConfig } from '../domain/config.js';
import { ConfigError } from '../domain/errors.js';
import type { Clock } from '../ports/index.js';
import type { StepDeps } from '../steps/types.js';
import type { Env } from './env.js';

/** The steps' dependencies, and how a run sets the clock for its trading date. */
export interface Wiring {
  readonly deps: StepDeps;
  /** Called before each step with the run's date: a `trading-date` clock moves to it */
  atRun(tradingDate: string): void;
}

const ISO_DATE = z.iso.date();

class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** The one place the runtime's clients and adapters are built, once per cold start. */
export async function wire(env: Env): Promise<Wiring> {
  if (env.BROKER === 'alpaca') {
    throw new ConfigError(
      'BROKER=alpaca: the Alpaca adapters are not built yet (their own issue); use the simulated broker',
    );
  }
  if (env.DATA_DIR === undefined || env.VENUE_FILE === undefined) {
    throw new ConfigError('BROKER=simulated needs DATA_DIR (its market data) and VENUE_FILE');
  }
  if (env.MAILER === 'outbox' && env.OUTBOX_DIR === undefined) {
    throw new ConfigError('OUTBOX_DIR is not set: the SES mailer arrives with the report issue');
  }
  const config = parseConfig(
    await readConfigFile(env.TRADING_CONFIG_FILE),
    env.TRADING_CONFIG_FILE ?? 'config',
  );
  // Opened on first use: only fetch-data, execute-orders and monitor-exits ask for bars or the
  // venue, and the other steps' cold starts skip reading data/ and the venue file
  const { DATA_DIR: dataDir, VENUE_FILE: venueFile } = env;
  const marketData = new LazyMarketData(
    async () => new HistoryMarketData(await loadDataFolder(dataDir, { benchmark: 'none' })),
  );
  const broker = new LazyBroker(async () =>
    FileSimulatedBroker.open(
      venueFile,
      await marketData.opened(),
      config.initialCapital,
      config.costs,
    ),
  );
  const region = env.AWS_REGION;
  const objects = new S3ObjectStore(
    s3Client({ region, ...(env.S3_ENDPOINT && { endpoint: env.S3_ENDPOINT }) }),
    env.STATE_BUCKET,
    env.STATE_PREFIX,
  );
  const store = new DynamoDbStateStore(
    dynamoDbDocumentClient({
      region,
      ...(env.DYNAMODB_ENDPOINT && { endpoint: env.DYNAMODB_ENDPOINT }),
    }),
    env.STATE_TABLE,
    objects,
  );
  const simulated = env.RUN_CLOCK === 'trading-date' ? new SimulatedClock() : null;
  return {
    deps: {
      config,
      marketData,
      broker,
      venue: broker,
      calendar: new RulesCalendar(),
      store,
      mailer: env.MAILER === 'none' ? null : new FileOutbox(env.OUTBOX_DIR!, emailEnvelope(config)),
      clock: simulated ?? new SystemClock(),
      news: null,
      sentiment: null,
    },
    // A malformed date reaches only the failure report, which needs no clock of its own
    atRun: (tradingDate) => {
      if (ISO_DATE.safeParse(tradingDate).success)
        simulated?.setTradingDate(tradingDate, env.RUN_TIME);
    },
  };
}
