import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectLinks } from '../ports/index.js';

/** A week: the longest a SigV4 presigned URL may last */
const MAX_SECONDS = 7 * 24 * 3600;

/**
 * Presigned GET URLs to objects of one bucket, under the same prefix as its S3ObjectStore. A URL
 * signed with a role's temporary credentials stops working when that session ends, whatever its
 * own expiry says: from a Lambda, within hours.
 */
export class S3ObjectLinks implements ObjectLinks {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #seconds: number;

  constructor(client: S3Client, bucket: string, prefix = '', seconds = MAX_SECONDS) {
    this.#client = client;
    this.#bucket = bucket;
    this.#prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.#seconds = Math.min(seconds, MAX_SECONDS);
  }

  link(key: string, contentType: string): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.#bucket,
      Key: this.#prefix + key,
      // S3ObjectStore writes every object as JSON: the link tells S3 how the browser should show it
      ResponseContentType: contentType,
    });
    return getSignedUrl(this.#client, command, { expiresIn: this.#seconds });
  }
}
