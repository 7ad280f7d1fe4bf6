import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConfigError, DataValidationError } from '../../../shared/domain/errors.js';
import { CorruptStateError, marketStateKey } from '../../../shared/ports/index.js';
import { type Uses, wire } from '../../../shared/runtime/deps.js';
import { loadEnv } from '../../../shared/runtime/env.js';
import { mailer } from '../../../shared/runtime/mailer.js';
import { market } from '../../../shared/runtime/market.js';

const MINI = 'tests/fixtures/data-mini';
const DATE = '2024-01-03';

let dir: string;
let dataDir: string;
let venueFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wire-'));
  dataDir = join(dir, 'data');
  venueFile = join(dir, 'venue', 'broker.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = (overrides: Record<string, string | undefined> = {}) =>
  loadEnv({
    BROKER: 'simulated',
    STATE_TABLE: 'trading-bot',
    STATE_BUCKET: 'trading-bot-state',
    DATA_DIR: dataDir,
    VENUE_FILE: venueFile,
    OUTBOX_DIR: join(dir, 'outbox'),
    ...overrides,
  });

const TRADING: Uses = { market };
const depsOf = async (uses: Uses = TRADING) => (await wire(env())).depsFor(uses, 'fetch-data');

describe('wire with the simulated venue', () => {
  it('refuses a missing DATA_DIR or VENUE_FILE at the first step that trades', async () => {
    const noData = await wire(env({ DATA_DIR: undefined }));
    await expect(noData.depsFor(TRADING, 'fetch-data')).rejects.toThrow(ConfigError);
    const noVenue = await wire(env({ VENUE_FILE: undefined }));
    await expect(noVenue.depsFor(TRADING, 'fetch-data')).rejects.toThrow(
      /needs DATA_DIR .* VENUE_FILE/,
    );
    // A step that does not trade needs neither
    await expect(noData.depsFor({}, 'check-risk')).resolves.toBeDefined();
  });

  it('reads no data folder until the first market-data call, and reads it once', async () => {
    // Prepare: no data folder at all, so a read at wiring would throw
    const deps = await depsOf();
    await cp(MINI, dataDir, { recursive: true });
    // Act
    const day = await deps.marketData.dayBars(DATE);
    await rm(dataDir, { recursive: true });
    // Assess: the second call is served from the first load, though the folder is gone
    expect(day.date).toBe(DATE);
    expect((await deps.marketData.daysBefore(DATE, 1)).map((day) => day.date)).toEqual([
      '2024-01-02',
    ]);
  });

  it('a failed load rejects naming the file, and the next call loads again', async () => {
    // Prepare
    const deps = await depsOf();
    // Act, Assess
    const failed = await deps.marketData.dayBars(DATE).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DataValidationError);
    expect((failed as DataValidationError).file).toBe(join(dataDir, 'prices/daily.csv'));
    await cp(MINI, dataDir, { recursive: true });
    expect((await deps.marketData.dayBars(DATE)).date).toBe(DATE);
  });

  it('opens the venue file on the first venue call; a corrupt one is named, then retried', async () => {
    // Prepare: a venue file that cannot be read back
    await cp(MINI, dataDir, { recursive: true });
    await mkdir(join(dir, 'venue'));
    await writeFile(venueFile, '{ not json');
    const deps = await depsOf();
    // Act, Assess
    const failed = await deps.venue.openSessionsThrough(DATE).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(CorruptStateError);
    expect((failed as Error).message).toContain(`venue file ${venueFile}`);
    // Moved away, as the message says: the next call starts a new venue
    await rm(venueFile);
    await deps.venue.openSessionsThrough(DATE);
    expect(await deps.broker.getAccount()).toEqual({ cash: 100_000, equity: 100_000 });
  });
});

describe('the parts a handler names', () => {
  it('are built once per wiring and shared by every handler that names them', async () => {
    // Prepare
    const wiring = await wire(env());
    // Act
    const fetch = await wiring.depsFor({ market }, 'fetch-data');
    const execute = await wiring.depsFor({ market }, 'execute-orders');
    // Assess: one venue for both steps, as one process of a local run needs
    expect(execute.broker).toBe(fetch.broker);
    expect(await wiring.use(market)).toMatchObject({ broker: fetch.broker });
  });

  it('a part the handler does not name fails on use, naming the function and the part', async () => {
    // Prepare
    const deps = await depsOf({});
    // Act, Assess
    expect(() => deps.broker.getAccount()).toThrow(ConfigError);
    expect(() => deps.mailer?.send({} as never)).toThrow(
      "fetch-data called send() of the mailer, which its handler does not wire: add it to the handler's uses",
    );
    await expect(deps.store.getSnapshot(marketStateKey(DATE), z.unknown())).rejects.toThrow(
      /called get\(\) of the objects/,
    );
  });

  it('the mailer follows MAILER: none sends nothing, outbox needs its folder', async () => {
    const none = await (await wire(env({ MAILER: 'none' }))).depsFor({ mailer }, 'report');
    expect(none.mailer).toBeNull();
    const noFolder = await wire(env({ OUTBOX_DIR: undefined }));
    await expect(noFolder.depsFor({ mailer }, 'report')).rejects.toThrow(
      /MAILER=outbox needs OUTBOX_DIR/,
    );
  });
});

describe('the config source', () => {
  it('refuses both a file and a parameter', async () => {
    await expect(
      wire(env({ TRADING_CONFIG_FILE: 'x.json', TRADING_CONFIG_PARAMETER: '/bot/config' })),
    ).rejects.toThrow(/both TRADING_CONFIG_FILE and TRADING_CONFIG_PARAMETER/);
  });
});
