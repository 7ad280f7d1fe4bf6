import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaBuild } from '../../../scripts/bench/daily-run.js';
import { AlpacaNewsSource } from '../../../shared/adapters/alpaca/news.js';
import { RulesCalendar } from '../../../shared/adapters/rules-calendar.js';
import { ConfigError } from '../../../shared/domain/errors.js';
import { calendar } from '../../../shared/runtime/calendar.js';
import { wire } from '../../../shared/runtime/deps.js';
import { loadEnv } from '../../../shared/runtime/env.js';
import { mailer } from '../../../shared/runtime/mailer.js';
import { lexiconAssetCopies, news } from '../../../shared/runtime/news.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'calendar-news-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

const wiringFor = (broker: 'simulated' | 'alpaca') =>
  wire(
    loadEnv({
      BROKER: broker,
      STATE_TABLE: 'trading-bot',
      STATE_BUCKET: 'trading-bot-state',
      OUTBOX_DIR: join(dir, 'outbox'),
    }),
  );

describe('the calendar and news parts on a simulated venue', () => {
  it('are the NYSE rules and no news: news-sentiment stays inactive', async () => {
    // Act
    const deps = await (await wiringFor('simulated')).depsFor(
      { calendar, news },
      'generate-signals',
    );
    // Assess
    expect(deps.calendar).toBeInstanceOf(RulesCalendar);
    expect(deps.news).toBeNull();
    expect(deps.sentiment).toBeNull();
  });

  it('a step whose handler does not name the calendar fails on use, naming it', async () => {
    // Prepare
    const deps = await (await wiringFor('simulated')).depsFor({}, 'check-risk');
    // Act, Assess: never a quiet second calendar beside the one the run reads
    expect(() => deps.calendar.day('2023-06-15')).toThrow(
      "check-risk called day() of the calendar, which its handler does not wire: add it to the handler's uses",
    );
  });
});

describe('the calendar and news parts on Alpaca', () => {
  it('one calendar for every handler of a wiring', async () => {
    // Prepare
    vi.stubEnv('APCA_API_KEY_ID', 'key');
    vi.stubEnv('APCA_API_SECRET_KEY', 'secret');
    const wiring = await wiringFor('alpaca');
    // Act
    const check = await wiring.depsFor({ calendar }, 'check-calendar');
    const report = await wiring.depsFor({ calendar, mailer }, 'report');
    // Assess
    expect(report.calendar).toBe(check.calendar);
    expect(await wiring.use(calendar)).toBe(check.calendar);
    expect(check.calendar).not.toBeInstanceOf(RulesCalendar);
  });

  it('without keys the report still wires: the calendar fails the question that needs it', async () => {
    // Prepare
    vi.stubEnv('APCA_API_KEY_ID', undefined);
    vi.stubEnv('APCA_API_SECRET_KEY', undefined);
    const wiring = await wiringFor('alpaca');
    // Act: the failure report's wiring, then a question to the calendar
    const deps = await wiring.depsFor({ calendar, mailer }, 'report');
    const asked = deps.calendar.day('2023-06-15');
    // Assess
    await expect(asked).rejects.toBeInstanceOf(ConfigError);
    await expect(asked).rejects.toThrow(/BROKER=alpaca needs APCA_API_KEY_ID, APCA_API_SECRET_KEY/);
  });

  it("reads Alpaca's news and scores it with the shipped VADER lexicon", async () => {
    // Prepare
    vi.stubEnv('APCA_API_KEY_ID', 'key');
    vi.stubEnv('APCA_API_SECRET_KEY', 'secret');
    // Act
    const deps = await (await wiringFor('alpaca')).depsFor({ news }, 'generate-signals');
    // Assess
    expect(deps.news).toBeInstanceOf(AlpacaNewsSource);
    expect(
      deps.sentiment?.compound('Apple shares climb as analysts praise strong demand'),
    ).toBeGreaterThan(0.5);
    expect(deps.sentiment?.compound('Pfizer drug trial disappoints investors')).toBeLessThan(0);
  });
});

describe("the generate-signals bundle's lexicon", () => {
  it('is read from beside a bundle outside the repository, as the Lambda asset lays it out', async () => {
    // Prepare: the bundle and its asset copy alone, no data/ folder anywhere above them
    const entry = join(dir, 'index.mjs');
    await build({
      ...lambdaBuild(process.cwd()),
      stdin: {
        contents: [
          "import { parseConfig } from './shared/domain/config.ts';",
          "import { news } from './shared/runtime/news.ts';",
          "process.env.APCA_API_KEY_ID = 'key';",
          "process.env.APCA_API_SECRET_KEY = 'secret';",
          // The wiring's shape as the part reads it: the environment, the config, its parts
          "const wiring = { env: { BROKER: 'alpaca' }, config: parseConfig({}), use: (part) => part(wiring) };",
          // Said on stdout: node prints an uncaught error after the bundle's one long source line
          'try {',
          '  const part = await news(wiring);',
          "  process.stdout.write(String(part.sentiment.compound('a great day')));",
          '} catch (error) {',
          "  process.stdout.write(error.name + ': ' + error.message);",
          '}',
        ].join('\n'),
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      outfile: entry,
    });
    const bare = spawnSync(process.execPath, [entry], { encoding: 'utf8' });
    for (const [from, to] of lexiconAssetCopies(dir)) await copyFile(from, to);
    // Act
    const child = spawnSync(process.execPath, [entry], { encoding: 'utf8' });
    // Assess: without its copy the bundle names what is missing
    expect(bare.stdout).toMatch(/^ConfigError: the VADER lexicon is neither beside the code/);
    expect(child.stderr).toBe('');
    expect(Number(child.stdout)).toBeGreaterThan(0.5);
  });
});
