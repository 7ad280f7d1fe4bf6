import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  firstError,
  type LocalWorkflow,
  openLocalWorkflow,
} from '../../../scripts/local/workflow.js';
import { PortfolioSchema } from '../../../shared/steps/documents.js';
import { type AlpacaTestServer, startAlpacaServer } from '../../support/alpaca-server/index.js';
import { type CboeServer, shippedVixAsCboe, startCboeServer } from '../../support/cboe-server.js';
import { journal } from '../daily-run/support.js';

/**
 * The daily workflow on the Alpaca broker: the real definition, the real SDK over HTTP to the
 * local Alpaca server (serving the shipped bars), CBOE's VIX from a local stand-in. The server's
 * clock is after the close of each run's date, as the schedule starts the run at 16:15.
 */
let server: AlpacaTestServer;
let cboe: CboeServer;
let workflow: LocalWorkflow;
const saved = { ...process.env };
beforeAll(async () => {
  server = await startAlpacaServer({ date: '2023-06-15', at: '17:00' });
  cboe = await startCboeServer(await shippedVixAsCboe());
  Object.assign(process.env, {
    APCA_API_KEY_ID: server.keyId,
    APCA_API_SECRET_KEY: server.secret,
    APCA_API_BASE_URL: server.url,
    VIX_URL: cboe.url,
  });
  workflow = await openLocalWorkflow({
    stateDir: await mkdtemp(join(tmpdir(), 'alpaca-run-')),
    dataDir: 'data',
    broker: 'alpaca',
  });
});
afterAll(async () => {
  await workflow.close();
  await server.close();
  await cboe.close();
  process.env = saved;
});

const posts = () => server.requests({ method: 'POST', path: '/v2/orders' });
const entriesAt = () =>
  server.orders().filter((o) => String(o.client_order_id).endsWith('-buy-entry'));

describe('a daily run on Alpaca, through the SDK', () => {
  it('warms up from Alpaca history and sends each approved entry as one OTO order', async () => {
    // Act
    const outcome = await workflow.run('2023-06-15');
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    expect(outcome.status).toBe('succeeded');
    const sent = (await journal(workflow)).filter((r) => r.intent === 'entry' && !r.riskRejected);
    expect(sent.length).toBeGreaterThan(0);
    expect(
      entriesAt()
        .map((o) => o.client_order_id)
        .sort(),
    ).toEqual(sent.map((r) => r.clientOrderId).sort());
    for (const order of entriesAt())
      expect(order).toMatchObject({ order_class: 'oto', time_in_force: 'gtc' });
  });

  it('the same date again posts nothing and says it already ran', async () => {
    // Prepare
    const before = posts().length;
    // Act
    const outcome = await workflow.run('2023-06-15');
    // Assess
    expect(outcome.error?.name).toBe('RunAlreadyCompletedError');
    expect(posts()).toHaveLength(before);
  });

  it('the next day carries the filled positions over, each protected by its stop at the broker', async () => {
    // Prepare: the 16th's open fills the entries; the run starts after its close
    server.advanceTo('2023-06-16', '17:00');
    // Act
    const outcome = await workflow.run('2023-06-16');
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    const portfolio = await workflow.store.get('portfolio/2023-06-16', PortfolioSchema);
    const lots = portfolio?.value.lots ?? [];
    expect(lots.map((lot) => lot.symbol).sort()).toEqual(
      entriesAt()
        .map((o) => String(o.symbol))
        .sort(),
    );
    for (const lot of lots) {
      const flat = entriesAt().find((o) => o.symbol === lot.symbol)!;
      const entry = server.order(String(flat.client_order_id))!;
      const legs = entry.legs as { status: string; type: string; stop_price: string }[];
      expect(legs).toEqual([expect.objectContaining({ type: 'stop', status: 'new' })]);
      expect(Number(legs[0]!.stop_price)).toBeCloseTo(lot.stopPrice, 2);
    }
    // No client order id at the server twice
    const ids = server.orders().map((o) => o.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
