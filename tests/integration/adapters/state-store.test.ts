import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalServices, startLocalServices } from '../../../scripts/local/services.js';
import { dynamoDbDocumentClient } from '../../../shared/adapters/aws-clients.js';
import { DynamoDbStateStore } from '../../../shared/adapters/dynamodb-state-store.js';
import { S3ObjectStore, s3Client } from '../../../shared/adapters/s3-object-store.js';
import { StateUnavailableError } from '../../../shared/domain/errors.js';
import { CorruptStateError, StateConflictError } from '../../../shared/ports/index.js';

const RecordSchema = z.object({ step: z.string(), attempts: z.number() });
const PortfolioSchema = z.object({
  cash: z.number(),
  positions: z.array(z.object({ symbol: z.string(), qty: z.number() })),
});
const OrderSchema = z.object({ clientOrderId: z.string(), note: z.string() });

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices(await mkdtemp(join(tmpdir(), 'state-store-')));
});
afterAll(() => services?.close());

describe('DynamoDbStateStore documents', () => {
  it('round-trips a document, version 1 then 2', async () => {
    // Act
    const first = await services.store.put(
      'run/2024-03-01/record',
      { step: 'a', attempts: 1 },
      null,
    );
    const second = await services.store.put(
      'run/2024-03-01/record',
      { step: 'b', attempts: 2 },
      first,
    );
    // Assess
    expect([first, second]).toEqual([1, 2]);
    expect(await services.store.get('run/2024-03-01/record', RecordSchema)).toEqual({
      value: { step: 'b', attempts: 2 },
      version: 2,
    });
  });

  it('answers undefined for a document never written', async () => {
    expect(await services.store.get('run/2024-03-02/record', RecordSchema)).toBeUndefined();
  });

  it('refuses a write at a stale version and keeps the stored document', async () => {
    // Prepare
    const key = 'run/2024-03-04/day';
    const v1 = await services.store.put(key, { step: 'first', attempts: 1 }, null);
    await services.store.put(key, { step: 'second', attempts: 2 }, v1);
    // Act
    const stale = services.store.put(key, { step: 'stale', attempts: 9 }, v1);
    // Assess
    await expect(stale).rejects.toThrow(StateConflictError);
    await expect(stale).rejects.toThrow(/run\/2024-03-04\/day.*version 1/);
    expect(await services.store.get(key, RecordSchema)).toEqual({
      value: { step: 'second', attempts: 2 },
      version: 2,
    });
  });

  it('lets exactly one of two concurrent creates win', async () => {
    // Act
    const results = await Promise.allSettled([
      services.store.put('run/2024-03-05/record', { step: 'one', attempts: 1 }, null),
      services.store.put('run/2024-03-05/record', { step: 'two', attempts: 1 }, null),
    ]);
    // Assess
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result) => result.status === 'rejected');
    expect(won).toEqual([{ status: 'fulfilled', value: 1 }]);
    expect(lost[0]?.reason).toBeInstanceOf(StateConflictError);
    const stored = await services.store.get('run/2024-03-05/record', RecordSchema);
    const winner = results.findIndex((result) => result.status === 'fulfilled');
    expect(stored?.value.step).toBe(['one', 'two'][winner]);
  });

  it('finds the newest document strictly before a date, or none', async () => {
    // Prepare
    for (const [date, cash] of [
      ['2024-01-02', 100],
      ['2024-01-03', 200],
      ['2024-01-05', 300],
    ] as const) {
      await services.store.put(`portfolio/${date}`, { cash, positions: [] }, null);
    }
    // Act
    const newestBefore = (date: string) =>
      services.store.latestBefore('portfolio', date, PortfolioSchema);
    // Assess
    expect(await newestBefore('2024-01-05')).toEqual({
      id: '2024-01-03',
      version: 1,
      value: { cash: 200, positions: [] },
    });
    expect((await newestBefore('2024-01-04'))?.id).toBe('2024-01-03');
    expect((await newestBefore('2099-01-01'))?.id).toBe('2024-01-05');
    expect(await newestBefore('2024-01-02')).toBeUndefined();
    // Another series' partition is not searched
    expect(await services.store.latestBefore('order', '2024-01-04', PortfolioSchema)).toBe(
      undefined,
    );
  });

  it('lists a series in key order across more than one 1 MB page', async () => {
    // Prepare: 1.2 MB, written out of key order. A dynalite write costs ~5 ms, small or not, so
    // 400 items of ~3 KB rather than 1,200 of 1 KB
    const note = 'x'.repeat(3000);
    const ids = Array.from({ length: 400 }, (_, i) => `2024-02-01-S${String(i).padStart(4, '0')}`);
    const shuffled = [...ids].sort((a, b) => a.slice(-2).localeCompare(b.slice(-2)));
    for (let i = 0; i < shuffled.length; i += 25) {
      await Promise.all(
        shuffled
          .slice(i, i + 25)
          .map((id) => services.store.put(`order/${id}`, { clientOrderId: id, note }, null)),
      );
    }
    const { store, queries } = countingStore(services);
    // Act
    const orders = await store.list('order', OrderSchema);
    // Assess
    expect(orders.map((order) => order.id)).toEqual(ids);
    expect(orders[7]).toEqual({ id: ids[7], version: 1, value: { clientOrderId: ids[7], note } });
    expect(queries()).toBeGreaterThan(1);
  });

  it('names the key and the field of a document that fails its schema', async () => {
    // Prepare: a shape an older release might have written
    await services.store.put(
      'equity/2023-06-01',
      { cash: 5, positions: [{ symbol: 'AAPL', qty: '10' }] },
      null,
    );
    // Act
    const read = services.store.get('equity/2023-06-01', PortfolioSchema);
    // Assess
    await expect(read).rejects.toThrow(CorruptStateError);
    await expect(read).rejects.toThrow(/equity\/2023-06-01.*positions\.0\.qty/);
    await expect(services.store.list('equity', PortfolioSchema)).rejects.toThrow(
      /equity\/2023-06-01.*positions\.0\.qty/,
    );
  });
});

describe('DynamoDbStateStore snapshots', () => {
  const Snapshot = z.object({ prices: z.array(z.number().nullable()), symbol: z.string() });

  it('round-trips a snapshot, NaN coming back as null', async () => {
    // Act
    await services.store.putSnapshot('market-state/2024-03-01', {
      prices: [1.5, Number.NaN, 3],
      symbol: 'AAPL',
    });
    // Assess
    expect(await services.store.getSnapshot('market-state/2024-03-01', Snapshot)).toEqual({
      prices: [1.5, null, 3],
      symbol: 'AAPL',
    });
  });

  it('answers undefined for a snapshot never written', async () => {
    expect(await services.store.getSnapshot('market-state/2024-03-04', Snapshot)).toBeUndefined();
  });

  it('names the key of a snapshot that fails its schema', async () => {
    // Prepare
    await services.store.putSnapshot('market-state/2024-03-06', { prices: 'none', symbol: 'X' });
    // Act
    const read = services.store.getSnapshot('market-state/2024-03-06', Snapshot);
    // Assess
    await expect(read).rejects.toThrow(CorruptStateError);
    await expect(read).rejects.toThrow(/market-state\/2024-03-06.*prices/);
  });
});

describe('startLocalServices', () => {
  it('keeps documents and snapshots across a close and a restart on the same directory', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'state-restart-'));
    const first = await startLocalServices(dir);
    await first.store.put('control/trading-state', { step: 'HALTED', attempts: 0 }, null);
    await first.store.putSnapshot('market-state/2024-03-01', { prices: [1], symbol: 'SPY' });
    await first.close();
    // Act
    const second = await startLocalServices(dir);
    try {
      // Assess
      expect(await second.store.get('control/trading-state', RecordSchema)).toEqual({
        value: { step: 'HALTED', attempts: 0 },
        version: 1,
      });
      expect(
        await second.store.getSnapshot(
          'market-state/2024-03-01',
          z.object({ prices: z.array(z.number()), symbol: z.string() }),
        ),
      ).toEqual({ prices: [1], symbol: 'SPY' });
    } finally {
      await second.close();
    }
  });

  it('refuses a directory that a running instance holds, rather than crashing in dynalite', async () => {
    // Act, assess
    const dir = await mkdtemp(join(tmpdir(), 'state-twice-'));
    const first = await startLocalServices(dir);
    try {
      await expect(startLocalServices(dir)).rejects.toThrow(/in use by process/);
    } finally {
      await first.close();
    }
    await (await startLocalServices(dir)).close();
  });
});

describe('transient failures', () => {
  it('turns throttling into StateUnavailableError naming the key, keeping the cause', async () => {
    // Prepare: a client whose every call is throttled after the SDK's own retries
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $fault: 'client',
    });
    const client = {
      send: () => Promise.reject(throttled),
    } as unknown as DynamoDBDocumentClient;
    const store = new DynamoDbStateStore(
      client,
      'trading-bot',
      new S3ObjectStore(s3Client({ region: 'us-east-1' }), 'b'),
    );
    // Act
    const read = store.get('equity/2024-03-01', RecordSchema);
    // Assess
    await expect(read).rejects.toThrow(StateUnavailableError);
    await expect(read).rejects.toThrow(/equity\/2024-03-01/);
    await expect(read).rejects.toMatchObject({ cause: throttled });
  });

  it('turns a refused connection into StateUnavailableError, for the table and the bucket', async () => {
    // Prepare: a port nothing listens on
    const nowhere = 'http://127.0.0.1:9';
    const objects = new S3ObjectStore(s3Client({ endpoint: nowhere, region: 'us-east-1' }), 'b');
    const store = new DynamoDbStateStore(
      dynamoDbDocumentClient({ endpoint: nowhere, region: 'us-east-1' }),
      'trading-bot',
      objects,
    );
    // Act, assess
    await expect(store.get('run/2024-03-01/record', RecordSchema)).rejects.toThrow(
      StateUnavailableError,
    );
    await expect(store.getSnapshot('market-state/2024-03-01', z.unknown())).rejects.toThrow(
      /unavailable.*market-state\/2024-03-01\.json/,
    );
  });
});

// A store over the local services whose Query calls are counted, to see the pages
function countingStore(local: LocalServices) {
  const client = dynamoDbDocumentClient({ endpoint: local.dynamoEndpoint, region: 'us-east-1' });
  let queries = 0;
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === 'QueryCommand') queries++;
      return next(args);
    },
    { step: 'initialize' },
  );
  const objects = new S3ObjectStore(
    s3Client({ endpoint: local.s3Endpoint, region: 'us-east-1' }),
    local.bucket,
  );
  return {
    store: new DynamoDbStateStore(client, local.tableName, objects),
    queries: () => queries,
  };
}
