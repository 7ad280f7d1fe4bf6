import { type FilterResult, filterCorrelated } from '../domain/correlation/filter-correlated.js';
import type { SignalsArtifact } from './generate-signals.js';
import { artifactKey, loadPortfolio, requireArtifact, requireMarketState } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

export type CandidatesArtifact = FilterResult;

/** Step 4: one signal per symbol, and none too correlated with what is held or accepted today. */
export const filterCorrelation: StepFactory =
  ({ config, store }) =>
  async (state) => {
    const market = await requireMarketState(store, config, state.tradingDate);
    const { signals } = await requireArtifact<SignalsArtifact>(store, state.tradingDate, 'signals');
    const portfolio = await loadPortfolio(store);
    const held = new Set(portfolio.lots.map((lot) => lot.symbol));
    const result: CandidatesArtifact = filterCorrelated(
      signals,
      held,
      (a, b) => market.correlation(a, b),
      config.correlation.maxCorrelation,
    );
    await store.put(artifactKey(state.tradingDate, 'candidates'), result);
    return withCounts(state, {
      candidates: result.accepted.length,
      filteredOut: result.rejected.length,
    });
  };
