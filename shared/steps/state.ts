import type { TradingConfig } from '../domain/config.js';
import { InvalidInputError, TradingError } from '../domain/errors.js';
import { MarketState, type MarketStateJson } from '../domain/features/market-state.js';
import { emptyPortfolio, type Portfolio } from '../domain/portfolio/portfolio.js';
import type { RunArtifact, StateKey, StateStore } from '../ports/index.js';
import { runKey } from '../ports/index.js';

// The steps look a date's artefacts up dozens of times a day. A key built afresh is a new string
// that the store's Map must flatten and hash again; one string per artefact and date is hashed once
let keysDate: string | null = null;
let keys = new Map<RunArtifact, StateKey>();

/** `runKey`, giving back the same string for the same key while the trading date stays the same. */
export function artifactKey(tradingDate: string, artifact: RunArtifact): StateKey {
  if (tradingDate !== keysDate) {
    keysDate = tradingDate;
    keys = new Map();
  }
  let key = keys.get(artifact);
  if (key === undefined) {
    key = runKey(tradingDate, artifact);
    keys.set(artifact, key);
  }
  return key;
}

/** The state store may hand back the live object (in memory) or its JSON (persisted): accept both. */
export async function loadMarketState(
  store: StateStore,
  config: TradingConfig,
): Promise<MarketState | undefined> {
  return marketStateOf(await store.get('market-state'), config);
}

function marketStateOf(
  stored: MarketState | MarketStateJson | undefined,
  config: TradingConfig,
): MarketState | undefined {
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
  const value = await store.get<T>(artifactKey(tradingDate, artifact));
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
  // Not through loadMarketState: five steps a day call this, and each async layer costs a frame
  const market = marketStateOf(await store.get('market-state'), config);
  if (market?.lastDate !== tradingDate) {
    throw new InvalidInputError(
      `market state is at ${market?.lastDate ?? 'no date'}, the run is for ${tradingDate}`,
    );
  }
  return market;
}
