import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParametersAndSecrets } from '../../../shared/adapters/parameters-and-secrets.js';
import { ConfigError, StateUnavailableError } from '../../../shared/domain/errors.js';
import { readTradingConfig } from '../../../shared/runtime/config-source.js';
import { loadEnv } from '../../../shared/runtime/env.js';

const TOKEN = 'session-token';

/**
 * A stand-in for the Parameters and Secrets extension's HTTP API (there is no local one): the
 * routes, the token check and the answers' shapes as AWS documents them.
 */
let server: Server;
let origin: string;
let values: Record<string, string>;
let status: number | undefined;
const requests: { url: string; token: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const token = request.headers['x-aws-parameters-secrets-token'] as string | undefined;
    requests.push({ url: request.url ?? '', token });
    const reply = (code: number, body: unknown) => {
      response.writeHead(code, { 'content-type': 'application/json' });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (status !== undefined) return reply(status, 'throttled');
    if (token !== TOKEN) return reply(401, 'unauthorized');
    const name = url.searchParams.get('name') ?? url.searchParams.get('secretId') ?? '';
    const value = values[name];
    if (value === undefined) return reply(400, `ParameterNotFound: ${name}`);
    if (url.pathname === '/systemsmanager/parameters/get') {
      return reply(200, { Parameter: { Name: name, Type: 'String', Value: value, Version: 1 } });
    }
    if (url.pathname === '/secretsmanager/get')
      return reply(200, { Name: name, SecretString: value });
    reply(404, 'no such route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  values = {};
  status = undefined;
  requests.length = 0;
});

const extension = () => new ParametersAndSecrets({ origin, token: TOKEN });

describe('the Parameters and Secrets extension client', () => {
  it('reads a parameter and a secret with the session token, names encoded', async () => {
    // Prepare
    values = { '/bot/config': '{"initialCapital":50000}', 'bot/alpaca&keys': '{"keyId":"k"}' };
    // Act
    const parameter = await extension().parameter('/bot/config');
    const secret = await extension().secretString('bot/alpaca&keys');
    // Assess
    expect(parameter).toBe('{"initialCapital":50000}');
    expect(secret).toBe('{"keyId":"k"}');
    expect(requests.map((r) => r.token)).toEqual([TOKEN, TOKEN]);
    expect(requests[1]!.url).toBe('/secretsmanager/get?secretId=bot%2Falpaca%26keys');
  });

  it('a missing name is a ConfigError carrying the answer; 429 and 5xx are transient', async () => {
    await expect(extension().parameter('/bot/none')).rejects.toThrow(
      new ConfigError('cannot read SSM parameter /bot/none: 400 ParameterNotFound: /bot/none'),
    );
    status = 503;
    await expect(extension().secretString('s')).rejects.toBeInstanceOf(StateUnavailableError);
    status = 429;
    await expect(extension().parameter('p')).rejects.toThrow(/failed for now: 429/);
  });

  it('no listener means no layer, and no token means not in a Lambda: both ConfigErrors', async () => {
    const nowhere = new ParametersAndSecrets({ origin: 'http://127.0.0.1:9', token: TOKEN });
    await expect(nowhere.parameter('p')).rejects.toThrow(/does the function have the layer\?/);
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    await expect(new ParametersAndSecrets({ origin }).parameter('p')).rejects.toThrow(
      /AWS_SESSION_TOKEN is not set/,
    );
  });
});

describe('the trading config from the parameter', () => {
  const env = (overrides: Record<string, string>) =>
    loadEnv({ STATE_TABLE: 'trading-bot', STATE_BUCKET: 'trading-bot-state', ...overrides });

  it('is parsed and validated like a file, naming the parameter', async () => {
    // Prepare
    values = { '/bot/config': '{"initialCapital":50000}', '/bot/bad': '{"initialCapital":-1}' };
    const params = { TRADING_CONFIG_PARAMETER: '/bot/config' };
    // Act
    const config = await readTradingConfig(env(params), extension);
    // Assess
    expect(config.initialCapital).toBe(50_000);
    await expect(
      readTradingConfig(env({ TRADING_CONFIG_PARAMETER: '/bot/bad' }), extension),
    ).rejects.toThrow(/SSM parameter \/bot\/bad/);
    values['/bot/config'] = '{ not json';
    await expect(readTradingConfig(env(params), extension)).rejects.toThrow(
      /SSM parameter \/bot\/config is not valid JSON/,
    );
  });
});
