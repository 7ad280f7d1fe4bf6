import { join } from 'node:path';
import { dynamoDbDocumentClient } from '../../shared/adapters/aws-clients.js';
import { DynamoDbStateStore } from '../../shared/adapters/dynamodb-state-store.js';
import { TradingError } from '../../shared/domain/errors.js';
import type { ObjectStore, StateStore } from '../../shared/ports/index.js';
import { startLocalServices } from '../local/services.js';

/** Which state the CLI reads and writes: the local one under a folder, or a deployed table. */
export type Target =
  | { readonly kind: 'local'; readonly stateDir: string }
  | { readonly kind: 'deployed'; readonly table: string; readonly region: string };

/** An open state store and how to let it go. */
export interface OpenState {
  readonly store: StateStore;
  /** Where it is, for the first line of the output */
  readonly where: string;
  close(): Promise<void>;
}

// The CLI reads documents only: a snapshot read would be a bug, said as one
const NO_SNAPSHOTS: ObjectStore = {
  get: () => Promise.reject(new TradingError('the bot CLI reads no snapshots')),
  put: () => Promise.reject(new TradingError('the bot CLI writes no snapshots')),
};

/**
 * Opens the target's documents: locally, dynalite over `<state>/services/` as npm start keeps it
 * (its lock refuses a second process on the folder); deployed, the table through the default AWS
 * credential chain (a profile, environment variables or SSO).
 */
export async function openState(target: Target): Promise<OpenState> {
  if (target.kind === 'local') {
    const services = await startLocalServices(join(target.stateDir, 'services'));
    return {
      store: services.store,
      where: `local state in ${target.stateDir}/`,
      close: () => services.close(),
    };
  }
  const client = dynamoDbDocumentClient({ region: target.region });
  return {
    store: new DynamoDbStateStore(client, target.table, NO_SNAPSHOTS),
    where: `table ${target.table} in ${target.region}`,
    close: async () => client.destroy(),
  };
}
