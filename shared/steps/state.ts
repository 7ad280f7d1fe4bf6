import * as z from 'zod';
import type { TradingConfig } from '../domain/config.js';
import { TradingError } from '../domain/errors.js';
import { FeatureSnapshot, FeatureSnapshotSchema } from '../domain/features/feature-snapshot.js';
import {
  featureFingerprint,
  fingerprintDifferences,
  sameFingerprint,
} from '../domain/features/fingerprint.js';
import { MarketState, type MarketStateJson } from '../domain/features/market-state.js';
import type { Portfolio } from '../domain/portfolio/portfolio.js';
import {
  marketStateKey,
  type RunArtifact,
  runKey,
  type StateStore,
  type Versioned,
} from '../ports/index.js';
import { PortfolioSchema } from './documents.js';

/** A step ran before the steps it builds on. */
export class MissingStateError extends TradingError {
  override name = 'MissingStateError';
}

/** The stored state was built under another config or universe: it must be rebuilt from history. */
export class StateMismatchError extends TradingError {
  override name = 'StateMismatchError';
}

const MarketSnapshotSchema = z.object({
  fingerprint: z.record(z.string(), z.unknown()),
  // MarketState.fromJSON validates the banks field by field; an in-memory store hands back the
  // live object instead of its JSON
  state: z.custom<MarketState | MarketStateJson>((v) => typeof v === 'object' && v !== null),
});

/** The market state as of a date's close, checked against the config it must mean the same under. */
export async function loadMarketState(
  store: StateStore,
  date: string,
  config: TradingConfig,
): Promise<MarketState | undefined> {
  const snapshot = await store.getSnapshot(marketStateKey(date), MarketSnapshotSchema);
  if (snapshot === undefined) return undefined;
  const state = snapshot.state;
  const symbols = state instanceof MarketState ? state.symbols : state.symbols;
  assertBuiltUnder(snapshot.fingerprint, symbols, config, `the market state of ${date}`);
  return state instanceof MarketState ? state : MarketState.fromJSON(state, config);
}

/**
 * Refuses what was built from the market state under a fingerprint the config no longer has
 * (`what` names it): its indicators or model would mean something else than the config says.
 */
export function assertBuiltUnder(
  stored: unknown,
  symbols: readonly string[],
  config: TradingConfig,
  what: string,
): void {
  const wanted = featureFingerprint(symbols, config);
  if (!sameFingerprint(stored, wanted)) {
    const differences = fingerprintDifferences(stored, wanted);
    throw new StateMismatchError(
      `${what} was built under another config (${differences.join('; ')}): ` +
        'rebuild the state from history (locally: npm start -- --reset)',
    );
  }
}

/** Writes the market state as of its last date, with the fingerprint of what it means. */
export async function saveMarketState(
  store: StateStore,
  market: MarketState,
  config: TradingConfig,
): Promise<void> {
  if (market.lastDate === null) throw new MissingStateError('the market state has no day yet');
  await store.putSnapshot(marketStateKey(market.lastDate), {
    fingerprint: featureFingerprint(market.symbols, config),
    state: market,
  });
}

const FeaturesSchema = z.union([
  z.custom<FeatureSnapshot>((v) => v instanceof FeatureSnapshot),
  FeatureSnapshotSchema,
]);

/** The day's features, which fetch-data must have written. */
export async function requireFeatures(store: StateStore, date: string): Promise<FeatureSnapshot> {
  const stored = (await store.get(runKey(date, 'features'), FeaturesSchema))?.value;
  if (stored === undefined) {
    throw new MissingStateError(`no features for ${date}: run fetch-data for that date first`);
  }
  return stored instanceof FeatureSnapshot ? stored : FeatureSnapshot.fromJSON(stored);
}

/** A run artefact an earlier step of the same trading date must have written. */
export async function requireArtifact<T>(
  store: StateStore,
  date: string,
  artifact: RunArtifact,
  schema: z.ZodType<T>,
): Promise<T> {
  const stored = await store.get(runKey(date, artifact), schema);
  if (stored === undefined) {
    throw new MissingStateError(`no ${artifact} for ${date}: run the steps before this one first`);
  }
  return stored.value;
}

/**
 * Writes a run artefact over whatever an earlier attempt of the same step wrote: each is derived
 * from the same inputs, so the rewrite is the same document.
 */
export async function putArtifact(
  store: StateStore,
  date: string,
  artifact: RunArtifact,
  value: unknown,
): Promise<void> {
  await store.replace(runKey(date, artifact), value);
}

/** The portfolio while its date's run is under way, with the version to write it back under. */
export async function loadWorkingPortfolio(
  store: StateStore,
  date: string,
): Promise<Versioned<Portfolio>> {
  const stored = await store.get(runKey(date, 'working-portfolio'), PortfolioSchema);
  if (stored === undefined) {
    throw new MissingStateError(`no portfolio for ${date}: run fetch-data for that date first`);
  }
  return stored;
}

/** Writes the working portfolio back if no other write came first (StateConflictError if one did). */
export async function saveWorkingPortfolio(
  store: StateStore,
  date: string,
  portfolio: Portfolio,
  version: number | null,
): Promise<void> {
  await store.put(runKey(date, 'working-portfolio'), portfolio, version);
}
