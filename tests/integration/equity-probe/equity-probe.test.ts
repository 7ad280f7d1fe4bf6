import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type AlpacaTestServer,
  alpacaClientFor,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';
import { type LocalServices, startLocalServices } from '../../../scripts/local/services.js';
import { AlpacaBroker } from '../../../shared/adapters/alpaca/broker.js';
import { RulesCalendar } from '../../../shared/adapters/rules-calendar.js';
import { BrokerUnavailableError, InvalidInputError } from '../../../shared/domain/errors.js';
import { equityKey, type StateStore } from '../../../shared/ports/index.js';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../../../shared/runtime/metric-names.js';
import {
  type EquityProbe,
  EquityProbeError,
  probeEquity,
} from '../../../shared/steps/equity-probe.js';
import { aReportArtifact } from '../../fixtures/builders.js';

// The equity probe through the real Alpaca SDK over HTTP to the local Alpaca server, the bot's
// equity history in dynalite, and the NYSE calendar's rules. 13:00 New York on 2023-06-15 is in
// the session: the server marks a holding at the day's open then (MSFT 337.480011), and its
// `last_equity` is the account at the 14th's close (MSFT 337.339996)
const IN_SESSION = new Date('2023-06-15T17:00:00Z');
const PREVIOUS_SESSION = '2023-06-14';
const CASH = 100_000;
const MSFT = { qty: 10, open15th: 337.480011, close14th: 337.339996 };

// The report's row of a close, as the daily run writes it: only its equity matters here
const closingReport = (date: string, equity: number) => aReportArtifact({ date, equity });

const accountReads = (server: AlpacaTestServer) =>
  server.requests({ method: 'GET', path: '/v2/account' });

const services = async () => startLocalServices(await mkdtemp(join(tmpdir(), 'equity-probe-')));

describe('probeEquity', () => {
  let server: AlpacaTestServer;
  let local: LocalServices;
  let store: StateStore;
  const probeAt = (now: Date) =>
    probeEquity({
      broker: new AlpacaBroker(alpacaClientFor(server, { timeoutMs: 2_000 }), {
        lastCloses: async () => {
          throw new Error('the probe reads the live equity, never the closes of the bars');
        },
      }),
      store,
      calendar: new RulesCalendar(),
      clock: { now: () => now },
    });

  beforeEach(async () => {
    server = await startAlpacaServer({ date: '2023-06-15', at: '13:00', cash: CASH });
    server.setPosition('MSFT', MSFT.qty, 300);
    local = await services();
    store = local.store;
  });
  afterEach(async () => {
    await server.close();
    await local.close();
  });

  it('reads the live equity against the close the bot recorded for the session before', async () => {
    // Prepare: the bot's report of the 14th's close; the account has lost since
    await store.replace(equityKey(PREVIOUS_SESSION), closingReport(PREVIOUS_SESSION, 106_000));
    // Act
    const probe = await probeAt(IN_SESSION);
    // Assess: the live mark, not the closes the daily run values the account at
    const equity = CASH + MSFT.qty * MSFT.open15th;
    expect(probe).toEqual({
      read: true,
      at: '2023-06-15T17:00:00.000Z',
      tradingDate: '2023-06-15',
      equity: expect.closeTo(equity, 6),
      previousClose: { date: PREVIOUS_SESSION, equity: 106_000, source: 'equity history' },
      dailyReturn: expect.closeTo(equity / 106_000 - 1, 12),
    });
    // 103,374.80 against 106,000: a 2.48 % loss, at the default breaker's −2 %
    expect(probe.read && probe.dailyReturn! * 100).toBeCloseTo(-2.4766, 4);
  });

  it("falls back to the broker's last-close equity when the bot has no report of that close", async () => {
    // Act: no equity history (a first day, or a run that failed on the 14th)
    const probe = await probeAt(IN_SESSION);
    // Assess
    const equity = CASH + MSFT.qty * MSFT.open15th;
    const lastEquity = CASH + MSFT.qty * MSFT.close14th;
    expect(probe).toMatchObject({
      read: true,
      previousClose: { date: PREVIOUS_SESSION, source: 'broker' },
    });
    if (!probe.read) throw new Error('expected a reading');
    expect(probe.previousClose?.equity).toBeCloseTo(lastEquity, 6);
    expect(probe.dailyReturn).toBeCloseTo(equity / lastEquity - 1, 12);
  });

  it.each([
    { when: 'a Saturday', now: '2023-06-17T16:00:00Z', reason: /closed on 2023-06-17 \(weekend\)/ },
    {
      when: 'Juneteenth',
      now: '2023-06-19T17:00:00Z',
      reason: /closed on 2023-06-19 \(Juneteenth/,
    },
    { when: '09:15, before the open', now: '2023-06-15T13:15:00Z', reason: /09:30–16:00/ },
    { when: '16:00, the close', now: '2023-06-15T20:00:00Z', reason: /outside the session/ },
    // 3 July 2023 closed at 13:00: the schedule's 13:30 tick finds no session
    { when: 'after an early close', now: '2023-07-03T17:30:00Z', reason: /09:30–13:00/ },
  ])('reads nothing at $when, and says why', async ({ now, reason }) => {
    // Act
    const probe = await probeAt(new Date(now));
    // Assess: not even a request to the broker
    expect(probe).toEqual({
      read: false,
      at: new Date(now).toISOString(),
      reason: expect.any(String),
    });
    expect(probe.read === false && probe.reason).toMatch(reason);
    expect(accountReads(server)).toEqual([]);
  });

  it('throws a clear error when the broker fails, and reads no number of its own', async () => {
    // Prepare: every attempt of the SDK's retries answers 500
    server.faults.failNext(20, { method: 'GET', path: '/v2/account', status: 500 });
    // Act
    const probe = probeAt(IN_SESSION);
    // Assess
    await expect(probe).rejects.toThrow(EquityProbeError);
    const error = (await probe.catch((e: unknown) => e)) as EquityProbeError;
    expect(error.message).toMatch(
      /^the broker's live equity could not be read at 2023-06-15T17:00:00\.000Z, so nothing is published until the next tick: BrokerUnavailableError: Alpaca GET \/v2\/account: 500/,
    );
    expect(error.cause).toBeInstanceOf(BrokerUnavailableError);
  });
});

// What Lambda passes: the Logger middleware reads the function's name and the request id
const lambdaContext = { functionName: 'equity-probe', awsRequestId: 'test-probe' } as Context;
type ProbeHandler = (event: unknown, context: Context) => Promise<EquityProbe>;

describe('the equity-probe handler', () => {
  let server: AlpacaTestServer;
  let local: LocalServices;
  let handler: ProbeHandler;
  let scheduled: { scheduledTime: string };
  let stdout: string[];
  const saved = { ...process.env };

  // The lines the handler printed: Powertools' EMF documents and the Logger's JSON
  const printed = () => stdout.flatMap((chunk) => chunk.split('\n')).filter(Boolean);
  const emf = () =>
    printed()
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  // As the Scheduler delivers a tick: "now" is the tick's time
  const tick = async (scheduledTime: string) => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(scheduledTime) });
    try {
      return await handler({ scheduledTime }, lambdaContext);
    } finally {
      vi.useRealTimers();
    }
  };

  beforeAll(async () => {
    server = await startAlpacaServer({ date: '2023-06-15', at: '13:00', cash: CASH });
    local = await services();
    // Read by the wiring at the first invoke, as a Lambda reads its environment; metrics on and
    // INFO, both read when Powertools' module loads
    Object.assign(process.env, {
      BROKER: 'alpaca',
      RUN_CLOCK: 'system',
      STATE_TABLE: local.tableName,
      STATE_BUCKET: local.bucket,
      DYNAMODB_ENDPOINT: local.dynamoEndpoint,
      APCA_API_KEY_ID: server.keyId,
      APCA_API_SECRET_KEY: server.secret,
      APCA_API_BASE_URL: server.url,
      ALPACA_RETRY_DELAY_MS: '5',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.TRADING_CONFIG_FILE;
    delete process.env.TRADING_CONFIG_PARAMETER;
    ({ handler } = (await import('../../../functions/equity-probe/handler.js')) as unknown as {
      handler: ProbeHandler;
    });
    scheduled = JSON.parse(await readFile('events/equity-probe/scheduled.json', 'utf8'));
    await local.store.replace(
      equityKey(PREVIOUS_SESSION),
      closingReport(PREVIOUS_SESSION, 102_500),
    );
  });
  afterAll(async () => {
    process.env = saved;
    await server?.close();
    await local?.close();
  });
  beforeEach(() => {
    stdout = [];
    server.faults.clear();
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      stdout.push(String(line));
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("publishes the day's return and the equity under the alarm's metric, namespace and service", async () => {
    // Act: the sample tick, 13:00 New York on the 15th; the account is its cash, 100,000
    const probe = await tick(scheduled.scheduledTime);
    // Assess
    expect(probe).toMatchObject({
      read: true,
      equity: CASH,
      previousClose: { equity: 102_500, source: 'equity history' },
    });
    const [document, ...others] = emf();
    expect(others).toEqual([]);
    const directive = (
      document!._aws as {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: object[] }[];
      }
    ).CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([['service']]);
    expect(directive.Metrics).toEqual(
      expect.arrayContaining([
        { Name: METRIC.dailyReturnPercent, Unit: 'Percent' },
        { Name: METRIC.equity, Unit: 'None' },
      ]),
    );
    expect(document!.service).toBe(SERVICE_NAME);
    // 100,000 against 102,500: −2.439 %, below the default breaker's −2 %
    expect(document![METRIC.dailyReturnPercent]).toBeCloseTo((CASH / 102_500 - 1) * 100, 10);
    expect(document![METRIC.equity]).toBe(CASH);
    // The log says where the previous close came from, and never carries the keys
    const lines = printed().join('\n');
    expect(lines).toMatch(/equity against the previous close from the equity history/);
    expect(lines).not.toContain(server.secret);
    expect(lines).not.toContain(server.keyId);
  });

  it('publishes nothing when the market is closed, and says so', async () => {
    // Act: a Saturday's tick (the schedule runs on weekdays; a holiday looks the same)
    const probe = await tick('2023-06-17T16:00:00Z');
    // Assess
    expect(probe).toMatchObject({ read: false });
    expect(emf()).toEqual([]);
    expect(printed().join('\n')).toMatch(/nothing published.*closed on 2023-06-17 \(weekend\)/);
  });

  it('fails with a clear error on a broker failure, and publishes nothing', async () => {
    // Prepare
    server.faults.failNext(20, { method: 'GET', path: '/v2/account', status: 503 });
    // Act
    const probe = tick(scheduled.scheduledTime);
    // Assess: thrown for the Lambda's error metric and log; the next tick reads again
    await expect(probe).rejects.toThrow(
      /live equity could not be read .*nothing is published until the next tick: BrokerUnavailableError: Alpaca GET \/v2\/account: 503/,
    );
    expect(emf()).toEqual([]);
  });

  it('refuses an event without its scheduled time, naming the field', async () => {
    await expect(handler({}, lambdaContext)).rejects.toThrow(InvalidInputError);
    await expect(handler({}, lambdaContext)).rejects.toThrow(/equity probe event: scheduledTime/);
    expect(emf()).toEqual([]);
  });
});
