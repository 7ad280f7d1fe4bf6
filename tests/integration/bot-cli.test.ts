import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bot } from '../../scripts/bot/cli.js';
import { TradingError } from '../../shared/domain/errors.js';

// The operator CLI in-process, against a local state two daily runs old: each command opens the
// state (dynalite under the folder), prints, and lets it go, as `npm run bot -- …` does
let dir: string;
let state: string[];
const lines = async (...argv: string[]) => {
  const result = await bot([...argv, ...state], new Date('2023-06-17T14:30:00Z'));
  expect(result.ok).toBe(true);
  return result.lines.join('\n');
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bot-cli-'));
  state = ['--state', dir];
  for (const date of ['2023-06-15', '2023-06-16']) {
    expect(await lines('run', '--date', date)).toMatch(/report {15}equity/);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run bot', () => {
  it('status: the trading state and why, the last run, equity and heat', async () => {
    const text = await lines('status');

    expect(text).toMatch(/^trading state: ACTIVE: never halted$/m);
    expect(text).toMatch(/^last run: +2023-06-16 succeeded, started 2023-06-16T20:15:00\.000Z/m);
    expect(text).toMatch(
      /^equity: +\$99,314\.53 at the close of 2023-06-16 \(-0\.69 % on the day\)$/m,
    );
    expect(text).toMatch(/^heat: +39\.28 % \(exposure \$39,010\.38\)$/m);
    expect(text).toMatch(/^book: +4 lots, 0 orders pending$/m);
  });

  it('history: each day’s equity and P&L, and the window’s total', async () => {
    const text = await lines('history', '--days', '1');

    expect(text).toMatch(/^2023-06-16 +\$99,314\.53 +-\$685\.47 +-0\.69 %/m);
    expect(text).not.toMatch(/^2023-06-15/m);
    expect(text).toMatch(/^1 day to 2023-06-16: -\$685\.47 \(-0\.69 %\)$/m);
  });

  it('positions: the open lots with entry, stop and days held', async () => {
    const text = await lines('positions');

    expect(text).toMatch(/^as of the close of 2023-06-16: 4 lots$/m);
    expect(text).toMatch(
      /^AMZN +ml-momentum +78 +2023-06-16 +127\.81 +120\.40 +125\.49 +-\$180\.63 +1$/m,
    );
  });

  it('halt and resume write the trading state with who and when', async () => {
    await expect(bot(['halt', ...state])).rejects.toThrow(/halt needs --reason/);

    expect(await lines('halt', '--reason', 'broker maintenance', '--by', 'alice')).toMatch(
      /^HALTED by alice at 2023-06-17T14:30:00\.000Z: broker maintenance$/m,
    );
    expect(await lines('halt', '--reason', 'again', '--by', 'bob')).toMatch(
      /already HALTED by alice at 2023-06-17T14:30:00\.000Z: broker maintenance; nothing changed/,
    );
    expect(await lines('status')).toMatch(
      /^trading state: HALTED: halted by alice at 2023-06-17T14:30:00\.000Z: broker maintenance$/m,
    );
    expect(await lines('resume', '--by', 'bob')).toMatch(
      /^ACTIVE from the next run: resumed by bob/m,
    );
    expect(await lines('status')).toMatch(
      /^trading state: ACTIVE: resumed by bob at .*: resumed by hand$/m,
    );
  });

  it.each([
    { argv: ['backtest', '--spec', 'no-such-spec.json'], error: /cannot read spec no-such-spec/ },
    {
      argv: ['backtest', '--spec', 'events/backtest/sweep.json', '--table', 'bot-table'],
      error: /runs the state machine locally/,
    },
    {
      argv: ['backtest', '--spec', 'events/backtest/sweep.json', '--shards', '0'],
      error: /--shards 0/,
    },
    { argv: ['status', '--stack', 'TradingBotData'], error: /client-cloudformation.*--table NAME/ },
    {
      argv: ['run', '--table', 'bot-table', '--region', 'us-east-1'],
      error: /local workflow only/,
    },
    { argv: ['history', '--days', 'ten'], error: /--days must be a whole number/ },
    { argv: ['frobnicate'], error: /unknown command "frobnicate"/ },
  ])('refuses $argv clearly', async ({ argv, error }) => {
    const refused = bot([...argv, ...state]);
    await expect(refused).rejects.toThrow(error);
    await expect(refused).rejects.toBeInstanceOf(TradingError);
  });
});
