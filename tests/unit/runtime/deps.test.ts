import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, DataValidationError } from '../../../shared/domain/errors.js';
import { CorruptStateError } from '../../../shared/ports/index.js';
import { wire } from '../../../shared/runtime/deps.js';
import { loadEnv } from '../../../shared/runtime/env.js';

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

describe('wire with the simulated venue', () => {
  it('still refuses a missing DATA_DIR or VENUE_FILE at once', async () => {
    await expect(wire(env({ DATA_DIR: undefined }))).rejects.toThrow(ConfigError);
    await expect(wire(env({ VENUE_FILE: undefined }))).rejects.toThrow(
      /needs DATA_DIR .* VENUE_FILE/,
    );
  });

  it('reads no data folder until the first market-data call, and reads it once', async () => {
    // Prepare: no data folder at all, so a read at wiring would throw
    const { deps } = await wire(env());
    await cp(MINI, dataDir, { recursive: true });
    // Act
    const day = await deps.marketData.dayBars(DATE);
    await rm(dataDir, { recursive: true });
    // Assess: the second call is served from the first load, though the folder is gone
    expect(day.date).toBe(DATE);
    expect((await deps.marketData.daysBefore(DATE, 1)).map((d) => d.date)).toEqual(['2024-01-02']);
  });

  it('a failed load rejects naming the file, and the next call loads again', async () => {
    // Prepare
    const { deps } = await wire(env());
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
    const { deps } = await wire(env());
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
