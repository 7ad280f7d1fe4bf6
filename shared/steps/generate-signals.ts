import type { Lot, StrategyId } from '../domain/model.js';
import { buildStrategies, type StrategyContext } from '../domain/strategies/index.js';
import { type EntryScan, scanEntries } from '../domain/strategies/scan.js';
import type { Headline } from '../ports/index.js';
import { DayArtifactSchema, RegimeArtifactSchema, type SignalsArtifact } from './documents.js';
import { loadWorkingPortfolio, putArtifact, requireArtifact, requireFeatures } from './state.js';
import type { StepDeps, StepFactory } from './types.js';
import { withCounts } from './types.js';

/**
 * Mean VADER compound per symbol over the lookback window; NaN for a symbol without headlines.
 * Null without a news source, or with an `error` when the headlines could not be read: a degraded
 * input for news-sentiment alone, which the other strategies do not wait on.
 */
async function scoreSentiment(
  deps: StepDeps,
  symbols: readonly string[],
  lots: readonly Lot[],
): Promise<{ sentiment: Float64Array | null; error?: string }> {
  const { news, sentiment, clock, config } = deps;
  if (news === null || sentiment === null) return { sentiment: null };
  // Read for the strategy's entries or its lots' exits: a config without either asks for nothing
  const needed =
    config.strategies.enabled.includes('news-sentiment') ||
    lots.some((lot) => lot.strategy === 'news-sentiment');
  if (!needed) return { sentiment: null };
  const until = clock.now();
  const since = new Date(
    until.getTime() - config.strategies['news-sentiment'].lookbackHours * 3_600_000,
  );
  let headlines: readonly Headline[];
  try {
    headlines = await news.headlines(symbols, since, until);
  } catch (error) {
    // After the client's own retries: the state machine's would rerun the whole step for one input
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { sentiment: null, error: `news unavailable: ${reason}` };
  }
  const sums = new Float64Array(symbols.length);
  const counts = new Uint32Array(symbols.length);
  const index = new Map(symbols.map((symbol, s) => [symbol, s]));
  for (const item of headlines) {
    const score = sentiment.compound(item.headline);
    for (const symbol of item.symbols) {
      const s = index.get(symbol);
      if (s === undefined) continue;
      sums[s]! += score;
      counts[s]! += 1;
    }
  }
  return { sentiment: sums.map((sum, s) => (counts[s]! > 0 ? sum / counts[s]! : Number.NaN)) };
}

/**
 * Failed headlines are news-sentiment's failure of the day, which the report says as an alert,
 * not "no news source configured": that is a deploy without news, this is a day without it.
 */
function newsFailed(scan: EntryScan, error: string, regimeOff: readonly StrategyId[]): EntryScan {
  const { 'news-sentiment': _noNews, ...inactive } = scan.inactive;
  return {
    signals: scan.signals,
    // Off in the regime stays said as that; the failure is said either way (its lots' exits)
    inactive: regimeOff.includes('news-sentiment') ? scan.inactive : inactive,
    failed: { ...scan.failed, 'news-sentiment': error },
  };
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
    const { sentiment, error: newsError } = await scoreSentiment(
      deps,
      features.symbols,
      portfolio.lots,
    );
    const context: StrategyContext = { features: features.features(), sentiment };

    const scan = scanEntries(
      strategies,
      {
        enabled: config.strategies.enabled,
        regime: regime.name,
        regimeOff: regime.disabledStrategies,
      },
      context,
      portfolio.lots,
    );
    const { signals, inactive, failed } =
      newsError === undefined ? scan : newsFailed(scan, newsError, regime.disabledStrategies);
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
