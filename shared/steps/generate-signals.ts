import type { Signal, StrategyId } from '../domain/model.js';
import { buildStrategies, type StrategyContext } from '../domain/strategies/index.js';
import { scanEntries } from '../domain/strategies/scan.js';
import type { RegimeArtifact } from './detect-regime.js';
import { artifactKey, loadPortfolio, requireArtifact, requireMarketState } from './state.js';
import type { StepDeps, StepFactory } from './types.js';
import { withCounts } from './types.js';

export interface SignalsArtifact {
  readonly signals: readonly Signal[];
  /** Per symbol (universe order): mean headline sentiment, null where none; null without a news source */
  readonly sentiment: (number | null)[] | null;
  /** Strategies that did not look for entries today, and why */
  readonly inactive: Partial<Record<StrategyId, string>>;
}

/** Mean VADER compound per symbol over the lookback window; NaN for a symbol without headlines. */
async function scoreSentiment(
  deps: StepDeps,
  symbols: readonly string[],
): Promise<Float64Array | null> {
  const { news, sentiment, clock, config } = deps;
  if (news === null || sentiment === null) return null;
  const until = clock.now();
  const since = new Date(
    until.getTime() - config.strategies['news-sentiment'].lookbackHours * 3_600_000,
  );
  const sums = new Float64Array(symbols.length);
  const counts = new Uint32Array(symbols.length);
  const index = new Map(symbols.map((symbol, s) => [symbol, s]));
  for (const item of await news.headlines(symbols, since, until)) {
    const score = sentiment.compound(item.headline);
    for (const symbol of item.symbols) {
      const s = index.get(symbol);
      if (s === undefined) continue;
      sums[s]! += score;
      counts[s]! += 1;
    }
  }
  return sums.map((sum, s) => (counts[s]! > 0 ? sum / counts[s]! : Number.NaN));
}

/** Today's strategy context; exits use it too. */
export function contextFrom(
  features: StrategyContext['features'],
  sentiment: readonly (number | null)[] | null,
): StrategyContext {
  return {
    features,
    sentiment: sentiment === null ? null : Float64Array.from(sentiment, (v) => v ?? Number.NaN),
  };
}

/**
 * Step 3: every enabled strategy not switched off by the regime looks at every symbol it does not
 * already hold, at today's close.
 */
export const generateSignals: StepFactory = (deps) => {
  const strategies = buildStrategies(deps.config);
  return async (state) => {
    const { store, config } = deps;
    const market = await requireMarketState(store, config, state.tradingDate);
    const { regime } = await requireArtifact<RegimeArtifact>(store, state.tradingDate, 'regime');
    const portfolio = await loadPortfolio(store);
    const sentiment = await scoreSentiment(deps, market.symbols);
    const context: StrategyContext = { features: market.features(), sentiment };

    const { signals, inactive } = scanEntries(
      strategies,
      {
        enabled: config.strategies.enabled,
        regime: regime.name,
        regimeOff: regime.disabledStrategies,
      },
      context,
      portfolio.lots,
    );
    const artifact: SignalsArtifact = {
      signals,
      sentiment:
        sentiment === null ? null : Array.from(sentiment, (v) => (Number.isNaN(v) ? null : v)),
      inactive,
    };
    await store.put(artifactKey(state.tradingDate, 'signals'), artifact);
    return withCounts(state, { signals: signals.length });
  };
};
