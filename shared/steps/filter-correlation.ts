import { filterCorrelated } from '../domain/correlation/filter-correlated.js';
import { type CandidatesArtifact, SignalsArtifactSchema } from './documents.js';
import { loadWorkingPortfolio, putArtifact, requireArtifact, requireFeatures } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

/** Step 4: one signal per symbol, and none too correlated with what is held or accepted today. */
export const filterCorrelation: StepFactory =
  ({ config, store }) =>
  async (state) => {
    const date = state.tradingDate;
    const [features, { signals }, { value: portfolio }] = await Promise.all([
      requireFeatures(store, date),
      requireArtifact(store, date, 'signals', SignalsArtifactSchema),
      loadWorkingPortfolio(store, date),
    ]);
    const held = new Set(portfolio.lots.map((lot) => lot.symbol));
    const result: CandidatesArtifact = filterCorrelated(
      signals,
      held,
      (a, b) => features.correlation(a, b),
      config.correlation.maxCorrelation,
    );
    await putArtifact(store, date, 'candidates', result);
    return withCounts(state, {
      candidates: result.accepted.length,
      filteredOut: result.rejected.length,
    });
  };
