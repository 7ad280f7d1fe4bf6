import type { Regime, TradingState } from '../domain/model.js';
import { detectRegime as classify } from '../domain/regime/detect-regime.js';
import { decideTradingState } from '../domain/risk/trading-state.js';
import type { DayArtifact } from './fetch-data.js';
import { artifactKey, loadPortfolio, requireArtifact } from './state.js';
import { type StepFactory, withFields } from './types.js';

export interface RegimeArtifact {
  readonly regime: Regime;
  readonly tradingState: TradingState;
  readonly tradingStateReason: string;
}

/** Step 2: the VIX regime (heat cap, strategies off) and the day's trading state (breakers). */
export const detectRegime: StepFactory =
  ({ config, store }) =>
  async (state) => {
    const { account, vix } = await requireArtifact<DayArtifact>(store, state.tradingDate, 'day');
    const portfolio = await loadPortfolio(store);
    const regime = classify(vix, config.regime);
    const decision = decideTradingState(
      {
        previous: portfolio.tradingState,
        equity: account.equity,
        previousEquity: portfolio.previousEquity,
        peakEquity: Math.max(portfolio.peakEquity, account.equity),
      },
      config.risk,
    );
    const artifact: RegimeArtifact = {
      regime,
      tradingState: decision.state,
      tradingStateReason: decision.reason,
    };
    await store.put(artifactKey(state.tradingDate, 'regime'), artifact);
    return withFields(state, { regime: regime.name, tradingState: decision.state });
  };
