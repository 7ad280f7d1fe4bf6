import { buildStrategies, type StrategyContext } from '../domain/strategies/index.js';
import { scanEntries } from '../domain/strategies/scan.js';
import { DayArtifactSchema, RegimeArtifactSchema, type SignalsArtifact } from './documents.js';
import { loadWorkingPortfolio, putArtifact, requireArtifact, requireFeatures } from './state.js';
import type { StepDeps, StepFactory } from './types.js';
import { withCounts } from './types.js';

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
 * already hold, at today's close. A strategy that throws is reported and the others go on.
 */
export const generateSignals: StepFactory = (deps) => {
  const strategies = buildStrategies(deps.config);
  return async (state) => {
    const { store, config } = deps;
    const date = state.tradingDate;
    const [features, { regime }, { value: portfolio }, day] = await Promise.all([
      requireFeatures(store, date),
      requireArtifact(store, date, 'regime', RegimeArtifactSchema),
      loadWorkingPortfolio(store, date),
      requireArtifact(store, date, 'day', DayArtifactSchema),
    ]);
    const quarantined = new Set(day.quarantined.map((q) => q.symbol));
    const sentiment = await scoreSentiment(deps, features.symbols);
    const context: StrategyContext = { features: features.features(), sentiment };

    const { signals, inactive, failed } = scanEntries(
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
      signals: signals.filter((signal) => !quarantined.has(signal.symbol)),
      sentiment:
        sentiment === null ? null : Array.from(sentiment, (v) => (Number.isNaN(v) ? null : v)),
      inactive,
      failed,
    };
    await putArtifact(store, date, 'signals', artifact);
    return withCounts(state, { signals: artifact.signals.length });
  };
};
