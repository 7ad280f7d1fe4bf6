import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { dynamoDbDocumentClient } from '../../shared/adapters/aws-clients.js';
import { DynamoDbStateStore } from '../../shared/adapters/dynamodb-state-store.js';
import { S3ObjectStore, s3Client } from '../../shared/adapters/s3-object-store.js';
import { TABLE_DEFINITION } from '../../shared/adapters/state-layout.js';
import type { StateStore } from '../../shared/ports/index.js';

// Neither package ships types: these are the parts used here
interface DynaliteOptions {
  readonly path: string;
  readonly createTableMs: number;
  readonly deleteTableMs: number;
  readonly updateTableMs: number;
}
interface S3rverOptions {
  readonly address: string;
  readonly port: number;
  readonly directory: string;
  readonly silent: boolean;
}
interface S3rver {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: DynaliteOptions) => Server;
const S3rver = require('s3rver') as new (options: S3rverOptions) => S3rver;

const HOST = '127.0.0.1';
const REGION = 'us-east-1';
const TABLE_NAME = 'trading-bot';
const BUCKET = 'trading-bot-state';

/** The local stand-ins for DynamoDB and S3, and a StateStore over them. */
export interface LocalServices {
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  readonly tableName: string;
  readonly bucket: string;
  readonly store: StateStore;
  close(): Promise<void>;
}

/** Starts dynalite and s3rver on free ports, keeping their data under `dir` between starts. */
export async function startLocalServices(dir: string): Promise<LocalServices> {
  // Undone in reverse by close(), or at once when a later part fails to start
  const stops: (() => unknown)[] = [await claim(dir)];
  const close = async () => {
    for (const stop of stops.toReversed()) await stop();
  };
  try {
    // createTableMs 0: the table is usable at once rather than CREATING for half a second
    const dynamo = dynalite({
      path: join(dir, 'dynamodb'),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    await new Promise<void>((resolve, reject) => {
      dynamo.once('error', reject).listen(0, HOST, () => resolve());
    });
    // dynalite's close waits for pending writes, then closes LevelDB so a restart can open it
    stops.push(() => promisify(dynamo.close.bind(dynamo))());
    const s3 = new S3rver({ address: HOST, port: 0, directory: join(dir, 's3'), silent: true });
    const { port: s3Port } = await s3.run();
    stops.push(() => s3.close());

    const dynamoEndpoint = `http://${HOST}:${(dynamo.address() as AddressInfo).port}`;
    const s3Endpoint = `http://${HOST}:${s3Port}`;
    const documents = dynamoDbDocumentClient({ endpoint: dynamoEndpoint, region: REGION });
    const objects = s3Client({ endpoint: s3Endpoint, region: REGION });
    stops.push(
      () => documents.destroy(),
      () => objects.destroy(),
    );
    await createTable(documents, TABLE_NAME);
    await createBucket(objects, BUCKET);

    return {
      dynamoEndpoint,
      s3Endpoint,
      tableName: TABLE_NAME,
      bucket: BUCKET,
      store: new DynamoDbStateStore(documents, TABLE_NAME, new S3ObjectStore(objects, BUCKET)),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// A second dynalite on a directory cannot take LevelDB's lock, and its first request then kills the
// process with "Database is closed". A pid file lets a second start fail first, saying why
async function claim(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'services.pid');
  const holder = Number(await readFile(file, 'utf8').catch(() => ''));
  if (holder > 0 && isRunning(holder))
    throw new Error(`${dir} is in use by process ${holder} (delete ${file} if that is wrong)`);
  await writeFile(file, String(process.pid));
  return () => rm(file, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Client = ReturnType<typeof dynamoDbDocumentClient>;

async function createTable(client: Client, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand({ TableName: tableName, ...TABLE_DEFINITION }));
  } catch (error) {
    // The table of an earlier start: its data is the point of keeping the directory
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
  // Even with createTableMs 0, dynalite flips the table to ACTIVE on a timer after answering
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await sleep(10);
  }
  throw new Error(`local table ${tableName} did not become ACTIVE`);
}

async function createBucket(client: ReturnType<typeof s3Client>, bucket: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    // s3rver answers BucketAlreadyExists for its own bucket, S3 BucketAlreadyOwnedByYou
    const { name } = error as Error;
    if (name !== 'BucketAlreadyExists' && name !== 'BucketAlreadyOwnedByYou') throw error;
  }
}
