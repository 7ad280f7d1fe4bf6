import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/stacks/settings.js';

const settingsOf = (context: Record<string, unknown>) => readSettings(new App({ context }).node);

const configFile = (config: unknown) => {
  const file = join(mkdtempSync(join(tmpdir(), 'infra-settings-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
};

describe('readSettings', () => {
  it('defaults to 16:15, a 2 % loss, a probe every 15 minutes, tracing, the default config and 4 backtest shards', async () => {
    const settings = await settingsOf({});

    expect(settings).toEqual({
      schedule: { hour: 16, minute: 15 },
      dailyLossPercent: -2,
      equityProbeMinutes: 15,
      tradingConfig: '{}',
      sesIdentities: ['trading-bot@localhost', 'you@localhost'],
      tracing: true,
      backtest: { shards: 4, maxConcurrency: 4 },
    });
  });

  it('reads the backtest shards and concurrency, and refuses 0', async () => {
    expect(await settingsOf({ backtestShards: '8', backtestConcurrency: '2' })).toMatchObject({
      backtest: { shards: 8, maxConcurrency: 2 },
    });
    await expect(settingsOf({ backtestShards: '0' })).rejects.toThrow(/backtestShards/);
  });

  it('reads `-c key=value` strings as numbers and flags', async () => {
    const settings = await settingsOf({
      scheduleHour: '17',
      scheduleMinute: '0',
      dailyLossPercent: '-3.5',
      tracing: 'false',
      alertEmail: 'me@example.com',
    });

    expect(settings).toMatchObject({
      schedule: { hour: 17, minute: 0 },
      dailyLossPercent: -3.5,
      tracing: false,
      alertEmail: 'me@example.com',
    });
  });

  it('deploys the config file as given, sending as its bare sender address and to its recipients', async () => {
    const overrides = {
      email: { from: 'Trading bot <bot@example.com>', to: ['me@example.com'] },
      initialCapital: 50_000,
    };

    const settings = await settingsOf({ configFile: configFile(overrides) });

    expect(JSON.parse(settings.tradingConfig)).toEqual(overrides);
    expect(settings.sesIdentities).toEqual(['bot@example.com', 'me@example.com']);
  });

  it.each([
    { given: '0', minutes: 0 },
    { given: '5', minutes: 5 },
    { given: 60, minutes: 60 },
  ])('reads equityProbeMinutes $given as $minutes (0: no probe)', async ({ given, minutes }) => {
    expect((await settingsOf({ equityProbeMinutes: given })).equityProbeMinutes).toBe(minutes);
  });

  it('takes the SES identities from the context when given, e.g. a verified domain', async () => {
    const settings = await settingsOf({ sesIdentities: 'example.com, me@example.org' });

    expect(settings.sesIdentities).toEqual(['example.com', 'me@example.org']);
  });

  it.each([
    { context: { scheduleHour: '24' }, problem: /scheduleHour/ },
    // Inside the session, or before the day's bar has its closing prints
    {
      context: { scheduleHour: '15' },
      problem:
        /scheduleHour: the daily run starts after the close, at 16:10 New York time or later, not 15:15/,
    },
    { context: { scheduleHour: '16', scheduleMinute: '5' }, problem: /scheduleHour/ },
    { context: { dailyLossPercent: '2' }, problem: /dailyLossPercent/ },
    { context: { alertEmail: 'not-an-address' }, problem: /alertEmail/ },
    // Not a divisor of 60: the readings would bunch up at each hour's minute 0
    { context: { equityProbeMinutes: '7' }, problem: /equityProbeMinutes: 0 \(off\) or a divisor/ },
    { context: { equityProbeMinutes: '-15' }, problem: /equityProbeMinutes/ },
  ])('refuses $context', async ({ context, problem }) => {
    await expect(settingsOf(context)).rejects.toThrow(problem);
  });

  it('fails the synth on a config the bot would refuse', async () => {
    await expect(settingsOf({ configFile: configFile({ initialCapital: -1 }) })).rejects.toThrow(
      /initialCapital/,
    );
  });
});
