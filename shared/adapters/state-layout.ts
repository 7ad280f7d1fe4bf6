import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { InvalidInputError } from '../domain/errors.js';
import { assertIsoDate } from '../domain/time.js';
import type { DocumentKey, RunArtifact, Series, SnapshotKey } from '../ports/state-store.js';

// The one definition of how state keys map onto the table and the bucket: the adapters and the CDK
// data stack both read it, so a renamed attribute cannot drift between the code and the table

/** The table's key attributes: both strings, `pk` the hash key and `sk` the range key. */
export const KEY_ATTRIBUTES = {
  partition: { name: 'pk', type: 'S' },
  sort: { name: 'sk', type: 'S' },
} as const;

/** The attributes a document item holds beside its key. */
export const ITEM_ATTRIBUTES = {
  /** N: 1 for the first write, +1 for each after */
  version: 'version',
  /** S: the document's JSON text, so its schema (not DynamoDB's types) decides what it means */
  data: 'data',
  /** S: ISO timestamp of the write, for a person reading the table */
  updatedAt: 'updatedAt',
} as const;

/** The primary key of a document item. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** A document as stored in the table. */
export interface StateItem extends ItemKey {
  readonly version: number;
  readonly data: string;
  readonly updatedAt: string;
}

/** What CreateTable needs beside the table name; on-demand, as a daily run makes under a hundred calls. */
export const TABLE_DEFINITION = {
  AttributeDefinitions: [
    { AttributeName: KEY_ATTRIBUTES.partition.name, AttributeType: KEY_ATTRIBUTES.partition.type },
    { AttributeName: KEY_ATTRIBUTES.sort.name, AttributeType: KEY_ATTRIBUTES.sort.type },
  ],
  KeySchema: [
    { AttributeName: KEY_ATTRIBUTES.partition.name, KeyType: 'HASH' },
    { AttributeName: KEY_ATTRIBUTES.sort.name, KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
} as const satisfies Omit<CreateTableCommandInput, 'TableName'>;

const SERIES_PARTITIONS = {
  portfolio: 'PORTFOLIO',
  order: 'ORDER',
  equity: 'EQUITY',
} as const satisfies Record<Series, string>;

/** The partition holding every document of a series, its sort key being the date or order id. */
export function seriesPartition(series: Series): (typeof SERIES_PARTITIONS)[Series] {
  return SERIES_PARTITIONS[series];
}

// A `satisfies` record rather than a list, so a run artefact added to the port fails to compile here
const RUN_NAMES: Record<RunArtifact | 'record', true> = {
  record: true,
  day: true,
  features: true,
  'working-portfolio': true,
  regime: true,
  signals: true,
  candidates: true,
  sized: true,
  decisions: true,
  orders: true,
  exits: true,
  email: true,
};

const isRunName = (name: string | undefined): name is RunArtifact | 'record' =>
  name !== undefined && Object.hasOwn(RUN_NAMES, name);

// Alpaca's limit on client_order_id, which is what an order document is keyed by
const MAX_ORDER_ID_LENGTH = 128;

const malformed = (key: string) => new InvalidInputError(`malformed state key "${key}"`);

// Dates are the sort keys of the series, so a date that is not YYYY-MM-DD would sort wrongly
const dateOf = (date: string | undefined, key: string) =>
  assertIsoDate(date ?? '', `the date of state key "${key}"`);

/** The table key of a document; throws InvalidInputError on a key the port does not define. */
export function itemKey(key: DocumentKey): ItemKey {
  const parts = key.split('/');
  const [family, id, name] = parts;
  if (family === 'run' && parts.length === 3 && isRunName(name))
    return { pk: `RUN#${dateOf(id, key)}`, sk: name };
  if ((family === 'portfolio' || family === 'equity') && parts.length === 2)
    return { pk: seriesPartition(family), sk: dateOf(id, key) };
  if (family === 'order' && parts.length === 2 && id && id.length <= MAX_ORDER_ID_LENGTH)
    return { pk: seriesPartition(family), sk: id };
  if (key === 'control/trading-state') return { pk: 'CONTROL', sk: 'TRADING_STATE' };
  if (key === 'market/vix-last-close') return { pk: 'MARKET', sk: 'VIX_LAST_CLOSE' };
  if (key === 'venue/opened-through') return { pk: 'VENUE', sk: 'OPENED_THROUGH' };
  throw malformed(key);
}

/** The bucket key of a snapshot; throws InvalidInputError on a key the port does not define. */
export function objectKey(key: SnapshotKey): string {
  const parts = key.split('/');
  const [family, date] = parts;
  if (family === 'market-state' && parts.length === 2)
    return `market-state/${dateOf(date, key)}.json`;
  throw malformed(key);
}
