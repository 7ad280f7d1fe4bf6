import type { RiskDecision } from '../domain/model.js';
import { checkRisk as decide } from '../domain/risk/check-risk.js';
import type { RegimeArtifact } from './detect-regime.js';
import type { DayArtifact } from './fetch-data.js';
import type { SizedArtifact } from './size-positions.js';
import { artifactKey, loadPortfolio, requireArtifact, requireMarketState } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts } from './types.js';

export interface DecisionsArtifact {
  readonly decisions: readonly RiskDecision[];
}

/** Step 6: the layered limits; a rejection is data with a reason code, not an error. */
export const checkRisk: StepFactory =
  ({ config, store }) =>
  async (state) => {
    const market = await requireMarketState(store, config, state.tradingDate);
    const { orders } = await requireArtifact<SizedArtifact>(store, state.tradingDate, 'sized');
    const { account } = await requireArtifact<DayArtifact>(store, state.tradingDate, 'day');
    const { regime, tradingState } = await requireArtifact<RegimeArtifact>(
      store,
      state.tradingDate,
      'regime',
    );
    const portfolio = await loadPortfolio(store);
    const close = market.features().close;
    const positionsValue = portfolio.lots.reduce(
      (sum, lot) => sum + lot.qty * close[market.indexOf(lot.symbol)]!,
      0,
    );
    const decisions = decide(
      orders,
      {
        cash: account.cash,
        equity: account.equity,
        positionsValue,
        lots: portfolio.lots,
        tradingState,
        maxHeat: regime.maxHeat,
      },
      config.risk,
    );
    await store.put<DecisionsArtifact>(artifactKey(state.tradingDate, 'decisions'), { decisions });
    const approved = decisions.filter((d) => d.approved).length;
    return withCounts(state, { approved, rejected: decisions.length - approved });
  };
