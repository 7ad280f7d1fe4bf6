import { S3ObjectStore, s3Client } from '../adapters/s3-object-store.js';
import type { ObjectStore } from '../ports/index.js';
import type { Part } from './deps.js';

/** The objects part: the state bucket (S3, or s3rver locally) for the market-state snapshots. */
export const objects: Part<ObjectStore> = ({ env }) =>
  new S3ObjectStore(
    s3Client({ region: env.AWS_REGION, ...(env.S3_ENDPOINT && { endpoint: env.S3_ENDPOINT }) }),
    env.STATE_BUCKET,
    env.STATE_PREFIX,
  );
