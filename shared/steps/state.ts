import type { TradingConfig } from '../domain/config.js';
import { InvalidInputError, TradingError } from '../domain/errors.js';
import { MarketState, type MarketStateJson } from '../domain/features/market-state.js';
import { emptyPortfolio, type Portfolio } from '../domain/portfolio/portfolio.js';
import type { RunArtifact, StateStore } from '../ports/index.js';
import { runKey } from '../ports/index.js';

/** The state store may hand back the live object (in memory) or its JSON (persisted): accept both. */
export async function loadMarketState(
  store: StateStore,
  config: TradingConfig,
): Promise<MarketState | undefined> {
  const stored = await store.get<MarketState | MarketStateJson>('market-state');
  if (stored === undefined || stored instanceof MarketState) return stored;
  return MarketState.fromJSON(stored, config);
}

/** The portfolio, or an empty one for a new account. */
export async function loadPortfolio(store: StateStore): Promise<Portfolio> {
  return (await store.get<Portfolio>('portfolio')) ?? emptyPortfolio();
}

/** A run artefact an earlier step of the same trading date must have written. */
export async function requireArtifact<T>(
  store: StateStore,
  tradingDate: string,
  artifact: RunArtifact,
): Promise<T> {
  const value = await store.get<T>(runKey(tradingDate, artifact));
  if (value === undefined) {
    throw new MissingStateError(
      `no ${artifact} for ${tradingDate}: run the steps before this one first`,
    );
  }
  return value;
}

/** A step ran before the steps it builds on. */
export class MissingStateError extends TradingError {
  override name = 'MissingStateError';
}

/** The market state, which fetch-data must have advanced to the run's date. */
export async function requireMarketState(
  store: StateStore,
  config: TradingConfig,
  tradingDate: string,
): Promise<MarketState> {
  const market = await loadMarketState(store, config);
  if (market?.lastDate !== tradingDate) {
    throw new InvalidInputError(
      `market state is at ${market?.lastDate ?? 'no date'}, the run is for ${tradingDate}`,
    );
  }
  return market;
}
