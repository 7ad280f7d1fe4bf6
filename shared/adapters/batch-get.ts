import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { StateUnavailableError } from '../domain/errors.js';
import type { ItemKey } from './state-layout.js';

type Item = Record<string, unknown>;

interface Waiting {
  readonly key: ItemKey;
  /** What the caller calls it, for a failure's message */
  readonly name: string;
  readonly callers: { resolve: (item: Item | undefined) => void; reject: (e: unknown) => void }[];
}

// BatchGetItem's limit per call
const MAX_KEYS = 100;
// Under load DynamoDB hands back what it could not read (UnprocessedKeys): ask again a few times
// with backoff, then fail those reads as transient, for the state machine's retry
const UNPROCESSED_ATTEMPTS = 4;
const UNPROCESSED_BACKOFF_MS = 25;

const idOf = (key: { readonly pk?: unknown; readonly sk?: unknown }) =>
  `${String(key.pk)}\u0000${String(key.sk)}`;

/**
 * Consistent reads of single items, gathered: the reads asked for in the same turn of the event
 * loop (a step's `Promise.all` of its inputs) go out as one BatchGetItem, a lone read as GetItem.
 * A key asked for twice in a turn is read once. Failures are the SDK's own, for the caller to
 * name; a key DynamoDB would not read after the retries fails as StateUnavailableError.
 */
export class BatchGetter {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  #turn: Map<string, Waiting> | undefined;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  /** The item at `key` (undefined: none); `name` is what a failure calls it. */
  get(key: ItemKey, name: string): Promise<Item | undefined> {
    if (this.#turn === undefined) {
      this.#turn = new Map();
      // setImmediate rather than a microtask: reads a step starts behind an await of its own join too
      setImmediate(() => this.#flush());
    }
    const turn = this.#turn;
    return new Promise((resolve, reject) => {
      const id = idOf(key);
      const waiting = turn.get(id) ?? { key, name, callers: [] };
      waiting.callers.push({ resolve, reject });
      turn.set(id, waiting);
    });
  }

  #flush(): void {
    const waiting = [...(this.#turn?.values() ?? [])];
    this.#turn = undefined;
    for (let start = 0; start < waiting.length; start += MAX_KEYS) {
      const chunk = waiting.slice(start, start + MAX_KEYS);
      // Every caller's JSON text is its own to parse: strings cannot change under another caller
      this.#read(chunk.map((w) => w.key)).then(
        ({ items, unread }) => {
          for (const { key, name, callers } of chunk) {
            const id = idOf(key);
            const failure = unread.has(id)
              ? new StateUnavailableError(
                  `state store unavailable for "${name}": DynamoDB left it unread after ${UNPROCESSED_ATTEMPTS} attempts`,
                )
              : undefined;
            for (const { resolve, reject } of callers) {
              if (failure) reject(failure);
              else resolve(items.get(id));
            }
          }
        },
        (error: unknown) => {
          for (const { callers } of chunk) for (const { reject } of callers) reject(error);
        },
      );
    }
  }

  async #read(
    keys: readonly ItemKey[],
  ): Promise<{ items: Map<string, Item>; unread: Set<string> }> {
    const items = new Map<string, Item>();
    if (keys.length === 1) {
      const { Item } = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: keys[0], ConsistentRead: true }),
      );
      if (Item !== undefined) items.set(idOf(Item), Item);
      return { items, unread: new Set() };
    }
    let pending: readonly Item[] = keys.map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 1; ; attempt++) {
      const { Responses, UnprocessedKeys } = await this.#client.send(
        new BatchGetCommand({
          RequestItems: { [this.#tableName]: { Keys: [...pending], ConsistentRead: true } },
        }),
      );
      for (const item of Responses?.[this.#tableName] ?? []) items.set(idOf(item), item);
      pending = UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
      if (pending.length === 0 || attempt === UNPROCESSED_ATTEMPTS) {
        return { items, unread: new Set(pending.map(idOf)) };
      }
      await new Promise((resolve) => setTimeout(resolve, UNPROCESSED_BACKOFF_MS * 2 ** attempt));
    }
  }
}
