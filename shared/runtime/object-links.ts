import { S3ObjectLinks } from '../adapters/s3-object-links.js';
import { s3Client } from '../adapters/s3-object-store.js';
import type { ObjectLinks } from '../ports/index.js';
import type { Part } from './deps.js';

/** Presigned links to the objects part's bucket and prefix, for the backtest summary email. */
export const objectLinks: Part<ObjectLinks> = ({ env }) =>
  new S3ObjectLinks(
    s3Client({ region: env.AWS_REGION, ...(env.S3_ENDPOINT && { endpoint: env.S3_ENDPOINT }) }),
    env.STATE_BUCKET,
    env.STATE_PREFIX,
  );
