import type { SizedOrder } from '../domain/model.js';
import { sizePosition } from '../domain/sizing/atr-sizing.js';
import type { DayArtifact } from './fetch-data.js';
import type { CandidatesArtifact } from './filter-correlation.js';
import { artifactKey, requireArtifact } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

export interface SizedArtifact {
  readonly orders: readonly SizedOrder[];
}

/** Step 5: ATR sizing of each candidate against the account after today's close. */
export const sizePositions: StepFactory =
  ({ config, store }) =>
  async (state) => {
    const { accepted } = await requireArtifact<CandidatesArtifact>(
      store,
      state.tradingDate,
      'candidates',
    );
    const { account } = await requireArtifact<DayArtifact>(store, state.tradingDate, 'day');
    const orders = accepted.map((signal) => sizePosition(signal, account, config));
    await store.put<SizedArtifact>(artifactKey(state.tradingDate, 'sized'), { orders });
    return withCounts(state, { sized: orders.filter((o) => o.qty > 0).length });
  };
