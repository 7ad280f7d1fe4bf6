import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { InvalidInputError } from '../domain/errors.js';
import {
  CorruptStateError,
  type Dated,
  type DocumentKey,
  type ObjectStore,
  type Series,
  type SnapshotKey,
  StateConflictError,
  type StateStore,
  type Versioned,
} from '../ports/index.js';
import { asStateError } from './aws-clients.js';
import { BatchGetter } from './batch-get.js';
import {
  ITEM_ATTRIBUTES,
  itemKey,
  KEY_ATTRIBUTES,
  objectKey,
  type StateItem,
  seriesPartition,
} from './state-layout.js';

// The item around the document is parsed too: a hand-edited or half-migrated item fails by key
const StoredSchema = z.object({
  sk: z.string(),
  version: z.number().int().positive(),
  data: z.string(),
});

/** Documents in one DynamoDB table (see state-layout.ts), snapshots in an ObjectStore (S3). */
export class DynamoDbStateStore implements StateStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #objects: ObjectStore;
  readonly #reads: BatchGetter;

  constructor(client: DynamoDBDocumentClient, tableName: string, objects: ObjectStore) {
    this.#client = client;
    this.#tableName = tableName;
    this.#objects = objects;
    this.#reads = new BatchGetter(client, tableName);
  }

  // A step reads its inputs together: they go out as one BatchGetItem (see batch-get.ts)
  async get<T>(key: DocumentKey, schema: z.ZodType<T>): Promise<Versioned<T> | undefined> {
    const Item = await call(key, () => this.#reads.get(itemKey(key), key));
    if (Item === undefined) return undefined;
    const { value, version } = decodeItem(key, Item, schema);
    return { value, version };
  }

  async put<T>(key: DocumentKey, value: T, expected: number | null): Promise<number> {
    const version = expected === null ? 1 : expected + 1;
    const item: StateItem = {
      ...itemKey(key),
      version,
      data: encode(key, value),
      // Wall-clock time of the write, not the run's Clock: it tells a person when the row changed
      updatedAt: new Date().toISOString(),
    };
    const condition =
      expected === null
        ? { ConditionExpression: `attribute_not_exists(${KEY_ATTRIBUTES.partition.name})` }
        : {
            ConditionExpression: '#v = :expected',
            ExpressionAttributeNames: { '#v': ITEM_ATTRIBUTES.version },
            ExpressionAttributeValues: { ':expected': expected },
          };
    try {
      await call(key, () =>
        this.#client.send(new PutCommand({ TableName: this.#tableName, Item: item, ...condition })),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const wanted = expected === null ? 'not to exist yet' : `to be at version ${expected}`;
      const message = `state "${key}" was expected ${wanted}: another write got there first`;
      throw new StateConflictError(message, { cause: error });
    }
    return version;
  }

  async replace(key: DocumentKey, value: unknown): Promise<number> {
    const { Attributes } = await call(key, () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: itemKey(key),
          UpdateExpression: 'SET #d = :data, #u = :now ADD #v :one',
          ExpressionAttributeNames: {
            '#d': ITEM_ATTRIBUTES.data,
            '#u': ITEM_ATTRIBUTES.updatedAt,
            '#v': ITEM_ATTRIBUTES.version,
          },
          ExpressionAttributeValues: {
            ':data': encode(key, value),
            ':now': new Date().toISOString(),
            ':one': 1,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return Attributes?.[ITEM_ATTRIBUTES.version] as number;
  }

  async latestBefore<T>(
    series: Series,
    before: string,
    schema: z.ZodType<T>,
  ): Promise<Dated<T> | undefined> {
    const { Items } = await call(`${series}/* before ${before}`, () =>
      this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: 'pk = :pk AND sk < :before',
          ExpressionAttributeValues: { ':pk': seriesPartition(series), ':before': before },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = Items?.[0];
    return item === undefined ? undefined : decodeDated(series, item, schema);
  }

  async list<T>(series: Series, schema: z.ZodType<T>): Promise<Dated<T>[]> {
    const input: QueryCommandInput = {
      TableName: this.#tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': seriesPartition(series) },
      ConsistentRead: true,
    };
    const documents: Dated<T>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      // DynamoDB stops a page at 1 MB: keep asking from where it stopped
      const page = await call(series, () =>
        this.#client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })),
      );
      for (const item of page.Items ?? []) documents.push(decodeDated(series, item, schema));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return documents;
  }

  async getSnapshot<T>(key: SnapshotKey, schema: z.ZodType<T>): Promise<T | undefined> {
    const text = await this.#objects.get(objectKey(key));
    return text === undefined ? undefined : decode(key, text, schema);
  }

  async putSnapshot(key: SnapshotKey, value: unknown): Promise<void> {
    await this.#objects.put(objectKey(key), encode(key, value));
  }
}

// Runs one SDK call, naming the state in a transient failure so the retry's log says what it was
async function call<R>(what: string, send: () => Promise<R>): Promise<R> {
  try {
    return await send();
  } catch (error) {
    throw asStateError(what, error);
  }
}

// JSON text, so a value's toJSON() decides its shape and its schema reads it back
function encode(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new InvalidInputError(`state "${key}" has no JSON form`);
  return text;
}

function decode<T>(key: string, text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CorruptStateError(`state "${key}" is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new CorruptStateError(`state "${key}" does not match its schema: ${issues.join('; ')}`, {
    cause: parsed.error,
  });
}

function decodeItem<T>(key: string, item: Record<string, unknown>, schema: z.ZodType<T>) {
  const stored = StoredSchema.safeParse(item);
  if (!stored.success) {
    const fields = stored.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CorruptStateError(`state "${key}" is not a stored document: ${fields}`, {
      cause: stored.error,
    });
  }
  const { sk, version, data } = stored.data;
  return { id: sk, version, value: decode(key, data, schema) };
}

function decodeDated<T>(series: Series, item: Record<string, unknown>, schema: z.ZodType<T>) {
  return decodeItem(`${series}/${String(item['sk'])}`, item, schema);
}
