import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/domain/errors.js';
import { wire } from '../../../shared/runtime/deps.js';
import { DryRunBroker } from '../../../shared/runtime/dry-run.js';
import { loadEnv } from '../../../shared/runtime/env.js';
import { market } from '../../../shared/runtime/market.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alpaca-wiring-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

async function alpacaDeps(config: object, keys: Record<string, string | undefined>) {
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(config));
  for (const [name, value] of Object.entries(keys)) vi.stubEnv(name, value);
  const wiring = await wire(
    loadEnv({
      BROKER: 'alpaca',
      STATE_TABLE: 'trading-bot',
      STATE_BUCKET: 'trading-bot-state',
      TRADING_CONFIG_FILE: configFile,
      ...(keys.DRY_RUN && { DRY_RUN: keys.DRY_RUN }),
    }),
  );
  return wiring.depsFor({ market }, 'fetch-data');
}

const KEYS = { APCA_API_KEY_ID: 'key', APCA_API_SECRET_KEY: 'secret' };

describe('the Alpaca market part', () => {
  it('trades paper by default, and refuses the live endpoint unless the config says live', async () => {
    await expect(alpacaDeps({}, KEYS)).resolves.toBeDefined();
    await expect(
      alpacaDeps({}, { ...KEYS, APCA_API_BASE_URL: 'https://api.alpaca.markets' }),
    ).rejects.toThrow(/alpaca.mode=paper but the endpoint is https:\/\/api.alpaca.markets/);
  });

  it('refuses live in the config with a paper endpoint: two places must agree on real money', async () => {
    const run = alpacaDeps({ alpaca: { mode: 'live' } }, KEYS);
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(/live trading needs https:\/\/api.alpaca.markets/);
    await expect(
      alpacaDeps(
        { alpaca: { mode: 'live' } },
        { ...KEYS, APCA_API_BASE_URL: 'https://api.alpaca.markets' },
      ),
    ).resolves.toBeDefined();
  });

  it('names the missing keys, never their values', async () => {
    const run = alpacaDeps({}, { APCA_API_KEY_ID: 'key-value', APCA_API_SECRET_KEY: undefined });
    await expect(run).rejects.toThrow('BROKER=alpaca needs APCA_API_SECRET_KEY');
    await expect(run).rejects.not.toThrow(/key-value/);
  });

  it('wraps the broker so that a dry run sends nothing', async () => {
    const deps = await alpacaDeps({}, { ...KEYS, DRY_RUN: 'true' });
    expect(deps.broker).toBeInstanceOf(DryRunBroker);
  });
});

describe('the dry-run broker', () => {
  it('answers a submit as open without sending it, and finds it after', async () => {
    // Prepare
    const sent: string[] = [];
    const real = {
      getAccount: async () => ({ cash: 1, equity: 1 }),
      getPositions: async () => [],
      getOrder: async () => undefined,
      submitOrder: async (request: { clientOrderId: string }) => {
        sent.push(request.clientOrderId);
        throw new Error('a dry run sent an order');
      },
      cancelOrder: async () => {
        throw new Error('a dry run cancelled an order');
      },
    };
    const broker = new DryRunBroker(real as never);
    const request = {
      clientOrderId: '2023-06-15-AAPL-buy-entry',
      symbol: 'AAPL',
      side: 'buy',
      qty: 3,
      type: 'market',
      intent: 'entry',
      timeInForce: 'day',
    } as const;
    // Act
    const answer = await broker.submitOrder(request);
    // Assess
    expect(answer).toMatchObject({ ...request, status: 'open', filledQty: 0 });
    expect(await broker.getOrder(request.clientOrderId)).toEqual(answer);
    expect(await broker.cancelOrder(request.clientOrderId)).toEqual(answer);
    expect(sent).toEqual([]);
  });
});
