import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { BatchGetter } from '../../../shared/adapters/batch-get.js';
import { StateUnavailableError } from '../../../shared/domain/errors.js';

type Key = { pk: string; sk: string };
type Answer = (keys: Key[]) => { found: Key[]; unprocessed: Key[] };

// A DynamoDB that answers from `answer` and records every command it was sent: dynalite never
// leaves keys unprocessed, so that path has no local stand-in
function fakeClient(answer: Answer) {
  const sent: (GetCommand | BatchGetCommand)[] = [];
  const client = {
    send: async (command: GetCommand | BatchGetCommand) => {
      sent.push(command);
      if (command instanceof GetCommand) {
        const { found } = answer([command.input.Key as Key]);
        return { Item: found[0] && { ...found[0], data: 'one' } };
      }
      const request = command.input.RequestItems!['table']!;
      const { found, unprocessed } = answer(request.Keys as Key[]);
      return {
        Responses: { table: found.map((key) => ({ ...key, data: `${key.sk}!` })) },
        UnprocessedKeys:
          unprocessed.length > 0 ? { table: { Keys: unprocessed, ConsistentRead: true } } : {},
      };
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, sent };
}

const everything: Answer = (keys) => ({ found: keys, unprocessed: [] });
const key = (sk: string): Key => ({ pk: 'RUN#2024-03-01', sk });

describe('BatchGetter', () => {
  it('sends the reads of one turn as one consistent BatchGetItem, each caller its item', async () => {
    const { client, sent } = fakeClient(everything);
    const reads = new BatchGetter(client, 'table');

    const items = await Promise.all([
      reads.get(key('day'), 'run/2024-03-01/day'),
      reads.get(key('regime'), 'run/2024-03-01/regime'),
    ]);

    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(BatchGetCommand);
    expect((sent[0] as BatchGetCommand).input.RequestItems!['table']!.ConsistentRead).toBe(true);
    expect(items.map((item) => item?.['data'])).toEqual(['day!', 'regime!']);
  });

  it('reads a key asked for twice in a turn once, and a lone read with GetItem', async () => {
    const { client, sent } = fakeClient(everything);
    const reads = new BatchGetter(client, 'table');

    const [a, b] = await Promise.all([reads.get(key('day'), 'day'), reads.get(key('day'), 'day')]);
    await reads.get(key('regime'), 'regime');

    expect(sent.map((c) => c.constructor.name)).toEqual(['GetCommand', 'GetCommand']);
    expect([a?.['sk'], b?.['sk']]).toEqual(['day', 'day']);
  });

  it('answers undefined for a key the table does not hold, beside the ones it does', async () => {
    const { client } = fakeClient((keys) => ({
      found: keys.filter((k) => k.sk !== 'missing'),
      unprocessed: [],
    }));
    const reads = new BatchGetter(client, 'table');

    const [found, missing] = await Promise.all([
      reads.get(key('day'), 'day'),
      reads.get(key('missing'), 'missing'),
    ]);

    expect(found?.['sk']).toBe('day');
    expect(missing).toBeUndefined();
  });

  it('asks again for the keys DynamoDB left unprocessed', async () => {
    let calls = 0;
    const { client, sent } = fakeClient((keys) => {
      calls += 1;
      // The first answer reads only the first key
      return calls === 1
        ? { found: keys.slice(0, 1), unprocessed: keys.slice(1) }
        : { found: keys, unprocessed: [] };
    });
    const reads = new BatchGetter(client, 'table');

    const items = await Promise.all([reads.get(key('a'), 'a'), reads.get(key('b'), 'b')]);

    expect(sent).toHaveLength(2);
    expect((sent[1] as BatchGetCommand).input.RequestItems!['table']!.Keys).toEqual([key('b')]);
    expect(items.map((item) => item?.['sk'])).toEqual(['a', 'b']);
  });

  it('fails only the reads DynamoDB kept leaving unprocessed, as StateUnavailableError naming them', async () => {
    const { client } = fakeClient((keys) => ({
      found: keys.filter((k) => k.sk !== 'b'),
      unprocessed: keys.filter((k) => k.sk === 'b'),
    }));
    const reads = new BatchGetter(client, 'table');

    const [a, b] = await Promise.allSettled([
      reads.get(key('a'), 'run/2024-03-01/a'),
      reads.get(key('b'), 'run/2024-03-01/b'),
    ]);

    expect(a.status === 'fulfilled' && a.value?.['sk']).toBe('a');
    expect(b.status === 'rejected' && b.reason).toBeInstanceOf(StateUnavailableError);
    expect(b.status === 'rejected' && (b.reason as Error).message).toMatch(/run\/2024-03-01\/b/);
  });

  it('rejects every read of a batch the SDK could not send, with the SDK error', async () => {
    const failure = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const client = {
      send: async () => {
        throw failure;
      },
    } as unknown as DynamoDBDocumentClient;
    const reads = new BatchGetter(client, 'table');

    const results = await Promise.allSettled([reads.get(key('a'), 'a'), reads.get(key('b'), 'b')]);

    expect(results.map((r) => r.status === 'rejected' && r.reason)).toEqual([failure, failure]);
  });
});
