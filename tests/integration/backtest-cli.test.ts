import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateMarket, toDataFolderFiles } from '../support/market-generator.js';

const exec = promisify(execFile);
const cli = (args: string[]) =>
  exec(process.execPath, ['--import', 'tsx', 'scripts/backtest.ts', ...args], { encoding: 'utf8' });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'backtest-cli-'));
  // A folder of the shipped layout with other symbols: 6 generated stocks over 3 years
  const files = toDataFolderFiles(
    generateMarket({ symbols: 6, days: 756, seed: 7, start: '2019-01-02' }),
  );
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, 'data', name)), { recursive: true });
    await writeFile(join(work, 'data', name), content);
  }
});

const csvRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

describe('npm run backtest', () => {
  it('runs on another data folder and writes four files that reconcile', async () => {
    const out = join(work, 'out');
    const { stdout } = await cli([
      '--data',
      join(work, 'data'),
      '--from',
      '2019-06-03',
      '--out',
      out,
    ]);
    expect(stdout).toMatch(/6 symbols/);

    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.period).toEqual({ from: '2019-06-03', to: '2021-11-24' });
    expect(Object.keys(summary.metrics)).toEqual(
      expect.arrayContaining(['totalReturn', 'cagr', 'sharpe', 'maxDrawdown', 'alpha', 'beta']),
    );
    const trades = csvRows(await readFile(join(out, 'trades.csv'), 'utf8'));
    const equity = csvRows(await readFile(join(out, 'equity.csv'), 'utf8'));
    expect(trades.length).toBeGreaterThan(0);
    const closedPnl = trades.reduce((sum, row) => sum + Number(row[7]), 0);
    const openPnl = summary.openPositions.reduce(
      (sum: number, p: { unrealisedPnl: number }) => sum + p.unrealisedPnl,
      0,
    );
    expect(Number(equity.at(-1)![1])).toBeCloseTo(
      summary.config.initialCapital + closedPnl + openPnl,
      2,
    );
    const orders = await readFile(join(out, 'orders.csv'), 'utf8');
    expect(orders.split('\n')[0]).toBe(
      'decision_date,fill_date,symbol,side,qty,fill_price,strategy,reason,client_order_id,status',
    );
  });

  it('limits the run to the strategies asked for', async () => {
    const out = join(work, 'only-rsi');
    await cli(['--data', join(work, 'data'), '--strategies', 'rsi-mean-reversion', '--out', out]);
    const trades = csvRows(await readFile(join(out, 'trades.csv'), 'utf8'));
    expect(new Set(trades.map((row) => row[1]))).toEqual(
      new Set(trades.length ? ['rsi-mean-reversion'] : []),
    );
  });

  it.each([
    { args: ['--strategies', 'rsi,ma'], message: /unknown strategy "rsi"/ },
    { args: ['--from', '2023-02-30'], message: /--from must be a date YYYY-MM-DD/ },
    { args: ['--from', '2030-01-01'], message: /--from 2030-01-01 is after --to 2021-11-24/ },
    {
      args: ['--from', '2020-01-04', '--to', '2020-01-05'],
      message: /no trading days between 2020-01-04 and 2020-01-05/,
    },
    { args: ['--data', 'no-such-folder'], message: /no-such-folder/ },
    { args: ['--bogus'], message: /Unknown option '--bogus'/ },
  ])('fails with a clear message and a non-zero exit: $args', async ({ args, message }) => {
    const failure = await cli([
      '--data',
      join(work, 'data'),
      ...args,
      '--out',
      join(work, 'bad'),
    ]).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(message);
  });

  it('names the field of a bad config file', async () => {
    const path = join(work, 'bad-config.json');
    await writeFile(path, JSON.stringify({ sizing: { riskPerTrade: 5 } }));
    const failure = await cli(['--data', join(work, 'data'), '--config', path]).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/sizing\.riskPerTrade/);
  });
});
