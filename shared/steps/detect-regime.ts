import { detectRegime as classify } from '../domain/regime/detect-regime.js';
import { decideTradingState } from '../domain/risk/trading-state.js';
import { DayArtifactSchema, type RegimeArtifact, TradingControlSchema } from './documents.js';
import { loadWorkingPortfolio, putArtifact, requireArtifact } from './state.js';
import type { StepFactory } from './types.js';

/**
 * Step 2: the VIX regime (heat cap, strategies off) and the day's trading state: the breakers, and
 * a halt a person or the circuit-breaker alarm set, which holds until someone resumes.
 */
export const detectRegime: StepFactory =
  ({ config, store }) =>
  async (state) => {
    const date = state.tradingDate;
    const [{ account, vix }, { value: portfolio }, control] = await Promise.all([
      requireArtifact(store, date, 'day', DayArtifactSchema),
      loadWorkingPortfolio(store, date),
      store.get('control/trading-state', TradingControlSchema),
    ]);
    const regime = classify(vix, config.regime);
    const halted = control?.value.state === 'HALTED';
    const own = decideTradingState(
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
      tradingState: halted ? 'HALTED' : own.state,
      tradingStateReason: halted
        ? `halted by ${control.value.by} at ${control.value.at}: ${control.value.reason}`
        : own.reason,
      carriedState: own.state === 'HALTED' ? 'HALTED' : 'ACTIVE',
    };
    await putArtifact(store, date, 'regime', artifact);
    return { ...state, regime: regime.name, tradingState: artifact.tradingState };
  };
