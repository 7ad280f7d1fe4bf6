import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lambdaBuild } from '../../../scripts/bench/daily-run.js';
import {
  type AlpacaTestServer,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';

// What a Lambda does with the SDK, bundled as the functions are (the SDK's namespaces dropped):
// an order, the account, and a typed error the adapters tell apart by class
const ENTRY = `
import { NotFoundError } from '@alpacahq/alpaca-trade-api/rest';
import { alpacaClient } from './shared/adapters/alpaca/client.ts';
const origin = process.env.ALPACA_ORIGIN;
const client = alpacaClient({
  keyId: process.env.ALPACA_KEY, secret: process.env.ALPACA_SECRET,
  tradingOrigin: origin, dataOrigin: origin,
});
const order = await client.trading.orders.market({
  symbol: 'AAPL', qty: 5, side: 'buy', clientOrderId: 'bundled-entry',
});
const account = await client.trading.account.getAccount();
const missing = await client.trading.orders
  .getOrderByClientOrderId({ clientOrderId: 'never-sent' })
  .then(() => 'found', (error) => (error instanceof NotFoundError ? 'NotFoundError' : String(error)));
process.stdout.write(JSON.stringify({ order: order.clientOrderId, cash: account.cash, missing }));
`;

let dir: string;
let server: AlpacaTestServer;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bundled-sdk-'));
  server = await startAlpacaServer({ date: '2023-06-14', at: '17:00' });
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the Alpaca SDK in a Lambda bundle', () => {
  it('leaves out the namespaces no function imports', async () => {
    // Act
    const { outputFiles, metafile } = await build({
      ...lambdaBuild(process.cwd()),
      entryPoints: ['functions/execute-orders/handler.ts'],
      outfile: join(dir, 'execute-orders.mjs'),
      write: false,
    });
    // Assess: `trading.AcatcActivityV2FromJSON` is reachable only through the `trading` namespace
    const code = outputFiles[0]!.text;
    expect(code).not.toContain('AcatcActivityV2FromJSON');
    const sdk = Object.entries(Object.values(metafile.outputs)[0]!.inputs).filter(([input]) =>
      input.includes('@alpacahq/alpaca-trade-api'),
    );
    expect(sdk.map(([input]) => input)).toEqual([
      'node_modules/@alpacahq/alpaca-trade-api/dist/rest.shakable.mjs',
    ]);
  });

  it('still trades: an order, the account and a typed error, against an Alpaca-compatible server', async () => {
    // Prepare: a bundle outside the repository, nothing to resolve at run time
    const file = join(dir, 'entry.mjs');
    await build({
      ...lambdaBuild(process.cwd()),
      stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'ts' },
      outfile: file,
    });
    // Act: asynchronously, so this process's server can answer
    const { stdout } = await promisify(execFile)(process.execPath, [file], {
      env: {
        ...process.env,
        ALPACA_ORIGIN: server.url,
        ALPACA_KEY: server.keyId,
        ALPACA_SECRET: server.secret,
      },
    });
    // Assess
    expect(JSON.parse(stdout)).toEqual({
      order: 'bundled-entry',
      cash: '100000',
      missing: 'NotFoundError',
    });
    expect(server.orders().map((order) => order.client_order_id)).toEqual(['bundled-entry']);
  });
});
