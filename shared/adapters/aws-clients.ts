import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StateUnavailableError } from '../domain/errors.js';

/** Where a client points: an `endpoint` means a local stand-in (dynalite, s3rver), none means AWS. */
export interface ClientOptions {
  readonly region: string;
  readonly endpoint?: string;
}

// s3rver checks signatures against these; dynalite accepts any. Only for local endpoints: in AWS the
// default provider chain reads the Lambda role
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export const clientTarget = ({ region, endpoint }: ClientOptions) =>
  endpoint === undefined ? { region } : { region, endpoint, credentials: LOCAL_CREDENTIALS };

/** A DynamoDB document client that drops undefined fields instead of refusing the item. */
export function dynamoDbDocumentClient(options: ClientOptions): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(clientTarget(options)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

// Failures worth a retry once the SDK's own retries are spent: throttling, the service's 5xx, and
// the network. Anything else (validation, access denied, a missing table) is a deploy to fix
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
  'TimeoutError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

interface SdkError extends Error {
  readonly $fault?: 'client' | 'server';
  readonly code?: string;
}

/** True for an SDK failure that may pass on its own (throttling, 5xx, network). */
export function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, $fault, code } = error as SdkError;
  return TRANSIENT_NAMES.has(name) || $fault === 'server' || NETWORK_CODES.has(code ?? '');
}

/** A transient SDK failure as StateUnavailableError naming `what`; any other error unchanged. */
export function asStateError(what: string, error: unknown): unknown {
  if (!isTransientAwsError(error)) return error;
  const { name, message } = error as Error;
  return new StateUnavailableError(`state store unavailable for "${what}": ${name}: ${message}`, {
    cause: error,
  });
}
