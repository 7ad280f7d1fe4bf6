import { sizePosition } from '../domain/sizing/atr-sizing.js';
import { CandidatesArtifactSchema, DayArtifactSchema, type SizedArtifact } from './documents.js';
import { putArtifact, requireArtifact } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

/** Step 5: ATR sizing of each candidate against the account after today's close. */
export const sizePositions: StepFactory =
  ({ config, store }) =>
  async (state) => {
    const date = state.tradingDate;
    const [{ accepted }, { account }] = await Promise.all([
      requireArtifact(store, date, 'candidates', CandidatesArtifactSchema),
      requireArtifact(store, date, 'day', DayArtifactSchema),
    ]);
    const orders = accepted.map((signal) => sizePosition(signal, account, config));
    const artifact: SizedArtifact = { orders };
    await putArtifact(store, date, 'sized', artifact);
    return withCounts(state, { sized: orders.filter((o) => o.qty > 0).length });
  };
