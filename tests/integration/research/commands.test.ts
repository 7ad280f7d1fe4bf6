import { execFile } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedDataFolder } from './generated-data.js';

const exec = promisify(execFile);
const cli = (script: string, args: string[]) =>
  exec(process.execPath, ['--import', 'tsx', `scripts/research/${script}.ts`, ...args], {
    encoding: 'utf8',
  });

let work: string;
let data: string;
beforeAll(async () => {
  ({ work, data } = await generatedDataFolder());
});

const grid = {
  'strategies.rsi-mean-reversion.oversold': [25, 35],
  'sizing.stopAtrMultiple': [2, 3],
};
const config = { strategies: { enabled: ['rsi-mean-reversion', 'volatility-breakout'] } };

async function specFile(name: string, spec: object): Promise<string> {
  const path = join(work, `${name}.json`);
  await writeFile(path, JSON.stringify(spec));
  return path;
}

describe('npm run sweep', () => {
  it('writes a row per combination, the same on 1 and 2 workers, and the best run', async () => {
    const spec = await specFile('sweep', { data, period: { from: '2020-01-01' }, config, grid });
    const one = join(work, 'sweep-1');
    const two = join(work, 'sweep-2');
    const { stdout } = await cli('sweep', ['--spec', spec, '--workers', '1', '--out', one]);
    await cli('sweep', ['--spec', spec, '--workers', '2', '--out', two]);

    const results = await readFile(join(one, 'results.csv'), 'utf8');
    expect(await readFile(join(two, 'results.csv'), 'utf8')).toBe(results);
    const [header, ...rows] = results.trim().split('\n');
    expect(header).toMatch(/^combination,strategies\.rsi-mean-reversion\.oversold,sizing\./);
    expect(rows.map((row) => row.split(',').slice(0, 3).join(','))).toEqual([
      '0,25,2',
      '1,25,3',
      '2,35,2',
      '3,35,3',
    ]);
    for (const file of ['summary.json', 'trades.csv', 'tearsheet.html']) {
      await access(join(one, 'best', file));
    }
    expect(stdout).toContain(`wrote results.csv to ${one}`);
    expect(stdout).toMatch(/best: strategies\.rsi-mean-reversion\.oversold=/);
  });

  it('fails on a bad spec naming the field, with a non-zero exit', async () => {
    const spec = await specFile('bad', { data, grid: { 'sizing.stopAtrMultiple': [0] } });
    const failure = await cli('sweep', ['--spec', spec]).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/grid combination sizing\.stopAtrMultiple=0 is invalid/);
    expect(failure.stderr).toMatch(/sizing\.stopAtrMultiple: /);
  });
});

describe('npm run walkforward', () => {
  it('tests each window on the days after its training and stitches the tests', async () => {
    const spec = await specFile('wf', {
      data,
      config,
      grid,
      walkForward: { trainMonths: 9, testMonths: 6, stepMonths: 6 },
    });
    const out = join(work, 'wf');
    const { stdout } = await cli('walkforward', ['--spec', spec, '--workers', '1', '--out', out]);
    expect(stdout).toContain(`wrote windows.csv, oos-equity.csv, walkforward.json to ${out}`);
    const windows = (await readFile(join(out, 'windows.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(windows.length).toBeGreaterThan(1);
    const equity = (await readFile(join(out, 'oos-equity.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    for (const [window, , trainTo, testFrom, testTo] of windows) {
      expect(trainTo! < testFrom!).toBe(true);
      const days = equity.filter(([, , w]) => w === window).map(([date]) => date!);
      expect([days[0], days.at(-1)]).toEqual([testFrom, testTo]);
    }
    // Stitched: one row per test day, in date order, no day twice
    const dates = equity.map(([date]) => date!);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
  });
});
