import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSimulatedBroker } from '../../../shared/adapters/file-simulated-broker.js';
import { HistoryMarketData } from '../../../shared/backtest/history-market-data.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { marketFillPrice } from '../../../shared/domain/orders/fill-model.js';
import { CorruptStateError, type OrderRequest } from '../../../shared/ports/index.js';
import { generateMarket } from '../../support/market-generator.js';

const costs = parseConfig({}).costs;
const market = generateMarket({ symbols: 3, days: 10, seed: 5 });
const feed = new HistoryMarketData(market);
const [first, second] = market.dates as [string, string];

const entry: OrderRequest = {
  clientOrderId: `${first}-S001-buy-entry`,
  symbol: 'S001',
  side: 'buy',
  qty: 4,
  type: 'market',
  intent: 'entry',
  timeInForce: 'day',
};

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'venue-'));
  path = join(dir, 'venue', 'broker.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileSimulatedBroker', () => {
  it('keeps the venue between runs: an order sent in one fills when the next opens the session', async () => {
    // Prepare: the first run opens its day and sends an order
    const run1 = await FileSimulatedBroker.open(path, feed, 10_000, costs);
    await run1.openSessionsThrough(first);
    await run1.submitOrder(entry);
    // Act: the next run, a new process, opens the following session
    const run2 = await FileSimulatedBroker.open(path, feed, 99_999, costs);
    await run2.openSessionsThrough(second);
    // Assess
    const order = await run2.getOrder(entry.clientOrderId);
    expect(order).toMatchObject({ status: 'filled', filledDate: second, submittedAt: first });
    expect(order?.filledAvgPrice).toBe(marketFillPrice('buy', market.open[3 + 1]!, costs));
    expect(await run2.getPositions()).toEqual([{ symbol: 'S001', qty: 4 }]);
    expect((await run2.getAccount()).cash).toBeLessThan(10_000); // the saved cash, not 99,999
    expect(run2.lastSession).toBe(second);
    expect(run2.allOrders()).toEqual([order]);
  });

  it('saves before each change resolves, leaving no temp file behind', async () => {
    const broker = await FileSimulatedBroker.open(path, feed, 10_000, costs);
    await broker.submitOrder(entry);
    await broker.cancelOrder(entry.clientOrderId);

    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved.orders).toEqual([expect.objectContaining({ status: 'canceled' })]);
    expect(await readdir(join(dir, 'venue'))).toEqual(['broker.json']);
  });

  it('starts a new venue when there is no file, without writing one until something changes', async () => {
    const broker = await FileSimulatedBroker.open(path, feed, 10_000, costs);
    expect(broker.lastSession).toBeNull();
    expect(await broker.getAccount()).toEqual({ cash: 10_000, equity: 10_000 });
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it.each([
    { name: 'a bad field', text: '{"cash": "lots"}', reason: /at cash/ },
    { name: 'text that is not JSON', text: '{"cash": 1', reason: /not JSON/ },
  ])('reports $name with the file, never a silent reset', async ({ text, reason }) => {
    // Prepare
    const broker = await FileSimulatedBroker.open(path, feed, 10_000, costs);
    await broker.openSessionsThrough(first);
    await writeFile(path, text);
    // Act
    const opening = FileSimulatedBroker.open(path, feed, 10_000, costs);
    // Assess
    await expect(opening).rejects.toThrow(CorruptStateError);
    await expect(opening).rejects.toThrow(`venue file ${path}: `);
    await expect(opening).rejects.toThrow(reason);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('refuses a file saved for another universe, naming it', async () => {
    const other = new HistoryMarketData(generateMarket({ symbols: 2, days: 10, seed: 5 }));
    const broker = await FileSimulatedBroker.open(path, other, 10_000, costs);
    await broker.openSessionsThrough(first);

    await expect(FileSimulatedBroker.open(path, feed, 10_000, costs)).rejects.toThrow(
      `venue file ${path}: the venue was created for another universe`,
    );
  });
});
