import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskEnv } from '../../../functions/backtest-task/env.js';
import { bot } from '../../../scripts/bot/cli.js';
import { runLocalBacktest } from '../../../scripts/local/backtest-workflow.js';
import { parseSpec } from '../../../shared/research/spec.js';
import { generatedDataFolder } from '../research/generated-data.js';

const run = promisify(execFile);

let work: string;
let specFile: string;
let unsharded: string;

// A tiny generated market keeps each backtest well under a second, so the test measures the fan-out
beforeAll(async () => {
  const folder = await generatedDataFolder();
  work = folder.work;
  specFile = join(work, 'tiny.json');
  const spec = {
    name: 'tiny',
    data: folder.data,
    period: { from: '2020-01-01' },
    config: { strategies: { enabled: ['rsi-mean-reversion', 'volatility-breakout'] } },
    // Five combinations: three shards are uneven, and the default four leave one nearly empty
    grid: { 'strategies.rsi-mean-reversion.oversold': [25, 30, 35, 40, 45] },
  };
  await writeFile(specFile, JSON.stringify(spec));
  // The unsharded reference is the sweep command itself, as a user runs it
  const out = join(work, 'sweep');
  await run(process.execPath, [
    '--import',
    'tsx',
    'scripts/research/sweep.ts',
    '--spec',
    specFile,
    '--out',
    out,
    '--workers',
    '1',
  ]);
  unsharded = await readFile(join(out, 'results.csv'), 'utf8');
}, 60_000);

describe('the backtest state machine, run locally', () => {
  it('fans a spec key out to 3 shard processes and merges them to the sweep’s results.csv', async () => {
    // Act
    const lines = await bot([
      'backtest',
      '--spec',
      specFile,
      '--shards',
      '3',
      '--out',
      join(work, 'three'),
    ]);
    // Assess
    const printed = lines.lines.join('\n');
    expect(printed).toMatch(/^backtest tiny: 5 combinations in 3 shards/m);
    const results = /^results: +(.+)$/m.exec(printed)?.[1];
    expect(await readFile(results!, 'utf8')).toBe(unsharded);
    const tearsheet = /^tearsheet: +(.+)$/m.exec(printed)?.[1];
    expect(await readFile(tearsheet!, 'utf8')).toMatch(/^<!doctype html>/i);
    const email = await readFile(/^email: +(.+)$/m.exec(printed)![1]!, 'utf8');
    expect(email).toMatch(/Subject: Backtest tiny: best sharpe/);
  }, 60_000);

  it('stores a spec document beside its run and shards it by the default', async () => {
    // Arrange
    const spec = parseSpec(JSON.parse(await readFile(specFile, 'utf8')));
    // Act
    const { outcome, store } = await runLocalBacktest({ spec, out: join(work, 'document') });
    // Assess
    expect(outcome.shards).toBe(4);
    expect(await store.get(outcome.files.results)).toBe(unsharded);
    const runFolder = outcome.files.results.replace(/results\.csv$/, '');
    expect(JSON.parse((await store.get(`${runFolder}spec.json`))!)).toMatchObject({ data: 'data' });
    expect((await readdir(store.pathOf(`${runFolder}shards`))).sort()).toEqual(
      [1, 2, 3, 4].map((i) => `shard-${i}-of-4.json`),
    );
  }, 60_000);

  it('fails naming the missing data file when the stored folder lacks prices', async () => {
    // Arrange: a folder without prices/daily.csv
    const spec = parseSpec({ ...JSON.parse(await readFile(specFile, 'utf8')), data: work });
    // Act / Assess
    await expect(runLocalBacktest({ spec, out: join(work, 'no-data') })).rejects.toThrow(
      /cannot read prices\/daily\.csv: ENOENT/,
    );
  });

  it('refuses more shards than the state machine allows, in its Choice state', async () => {
    const spec = parseSpec(JSON.parse(await readFile(specFile, 'utf8')));
    await expect(
      runLocalBacktest({ spec, shards: 51, out: join(work, 'too-many') }),
    ).rejects.toThrow(/InvalidBacktestInput|shards.*1\.\.50/);
  });
});

describe('the Fargate task’s environment', () => {
  const valid = {
    BACKTEST_BUCKET: 'bucket',
    SPEC_KEY: 'runs/x/spec.json',
    SHARD: '1/2',
    RUN_PREFIX: 'runs/x/',
  };

  it.each([
    { env: { ...valid, SPEC_KEY: undefined }, error: /SPEC_KEY/ },
    { env: { ...valid, RUN_PREFIX: 'runs/x' }, error: /RUN_PREFIX: must be empty or a key prefix/ },
    {
      env: { ...valid, STORE_DIR: '/tmp/store' },
      error: /exactly one of BACKTEST_BUCKET .* STORE_DIR/,
    },
    { env: { ...valid, WORKERS: 'two' }, error: /WORKERS/ },
  ])('refuses $env naming the variable', ({ env, error }) => {
    expect(() => taskEnv(env)).toThrow(error);
  });

  it('exits 1 with one line naming a spec that is not in the store', async () => {
    const { BACKTEST_BUCKET: _, ...inputs } = valid;
    const failed = run(process.execPath, ['--import', 'tsx', 'functions/backtest-task/main.ts'], {
      env: { ...process.env, ...inputs, STORE_DIR: work, SPEC_KEY: 'nope.json' },
    });
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: 'backtest-task: spec nope.json: no such object\n',
    });
  });
});
