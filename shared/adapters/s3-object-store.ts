import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../ports/index.js';
import { asStateError, type ClientOptions, clientTarget } from './aws-clients.js';

/** Text objects in one S3 bucket, under an optional prefix. */
export class S3ObjectStore implements ObjectStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(client: S3Client, bucket: string, prefix = '') {
    this.#client = client;
    this.#bucket = bucket;
    // One separator whether or not the caller wrote it, so `paper` and `paper/` name the same place
    this.#prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  }

  async get(key: string): Promise<string | undefined> {
    const Key = this.#prefix + key;
    try {
      const { Body } = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key }));
      // Inside the try: the body streams after the headers, and a dropped connection surfaces here
      return (await Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      // Only a missing key means "not written yet": NoSuchBucket is a deploy to fix, and without
      // s3:ListBucket S3 answers a missing key with 403 AccessDenied, which must not read as absent
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw asStateError(`s3://${this.#bucket}/${Key}`, error);
    }
  }

  async put(key: string, body: string): Promise<void> {
    const Key = this.#prefix + key;
    try {
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key,
          Body: body,
          ContentType: 'application/json',
        }),
      );
    } catch (error) {
      throw asStateError(`s3://${this.#bucket}/${Key}`, error);
    }
  }
}

/** An S3 client; path-style by default for a local endpoint, as s3rver has no bucket subdomains. */
export function s3Client(options: ClientOptions & { readonly forcePathStyle?: boolean }): S3Client {
  return new S3Client({
    ...clientTarget(options),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
  });
}
