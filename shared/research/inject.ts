import type { StrategyId } from '../domain/config.js';
import { InvalidInputError } from '../domain/errors.js';
import type { MarketHistory } from '../domain/market/history.js';
import { mulberry32 } from '../domain/numeric/random.js';
import { signalAt } from '../domain/strategies/strategy.js';
import {
  CandidatesArtifactSchema,
  DayArtifactSchema,
  type SignalsArtifact,
} from '../steps/documents.js';
import { pipeline } from '../steps/pipeline.js';
import {
  loadWorkingPortfolio,
  putArtifact,
  requireArtifact,
  requireFeatures,
} from '../steps/state.js';
import type { Step, StepDeps } from '../steps/types.js';
import { withCounts } from '../steps/types.js';
import type { InjectedSignal } from './spec.js';

/** The same signal twice would be one order: a file must say each once. */
const signalKey = (s: Pick<InjectedSignal, 'date' | 'symbol' | 'strategy'>) =>
  `${s.date} ${s.symbol} ${s.strategy}`;

/**
 * Checks the signals against the data: a known symbol, a trading day inside the period when one
 * is given, each signal once. Returns them in date order (a stable sort, so a day keeps the file's
 * order) with the period to run: from the first signal to `period.to`, or without one to
 * `afterLastSignal` trading days after the last signal.
 */
export function checkSignals(
  signals: readonly InjectedSignal[],
  history: MarketHistory,
  {
    afterLastSignal,
    period = {},
  }: { afterLastSignal: number; period?: { from?: string; to?: string } },
): { signals: InjectedSignal[]; from: string; to: string } {
  const symbols = new Set(history.symbols);
  const days = new Map(history.dates.map((date, d) => [date, d]));
  const seen = new Set<string>();
  signals.forEach((signal, i) => {
    const at = `inject.signals.${i}`;
    if (!symbols.has(signal.symbol)) {
      throw new InvalidInputError(`${at}.symbol: ${signal.symbol} is not in the data`);
    }
    if (!days.has(signal.date)) {
      throw new InvalidInputError(`${at}.date: ${signal.date} is not a trading day of the data`);
    }
    const { from = signal.date, to = signal.date } = period;
    if (signal.date < from || signal.date > to) {
      throw new InvalidInputError(
        `${at}.date: ${signal.date} is outside the period ${from} .. ${to}`,
      );
    }
    const key = signalKey(signal);
    if (seen.has(key)) throw new InvalidInputError(`${at}: ${key} is given twice`);
    seen.add(key);
  });
  const sorted = [...signals].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const last = days.get(sorted.at(-1)!.date)! + afterLastSignal;
  return {
    signals: sorted,
    from: sorted[0]!.date,
    to: period.to ?? history.dates[Math.min(last, history.dates.length - 1)]!,
  };
}

/**
 * `count` signals drawn under `seed`: a trading day between `from` and `to`, a symbol and one of
 * the enabled strategies each, with a confidence in hundredths. The same seed gives the same list.
 */
export function generateInjectedSignals(options: {
  readonly history: MarketHistory;
  readonly strategies: readonly StrategyId[];
  readonly count: number;
  readonly seed: number;
  readonly first: number;
  readonly last: number;
}): InjectedSignal[] {
  const { history, strategies, count, seed, first, last } = options;
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const room = (last - first + 1) * history.symbols.length * strategies.length;
  if (count > room)
    throw new InvalidInputError(`cannot draw ${count} distinct signals from ${room}`);
  const drawn = new Map<string, InjectedSignal>();
  while (drawn.size < count) {
    const signal: InjectedSignal = {
      date: history.dates[first + Math.floor(random() * (last - first + 1))]!,
      symbol: pick(history.symbols),
      strategy: pick(strategies),
      confidence: Math.round(random() * 100) / 100,
      reason: `generated (seed ${seed})`,
    };
    // A repeat is drawn again rather than dropped, so that the count is what was asked for
    if (!drawn.has(signalKey(signal))) drawn.set(signalKey(signal), signal);
  }
  return [...drawn.values()];
}

/** Why an injected signal never reached sizing: the injection step's checks, then the filter's. */
export interface Screened {
  readonly date: string;
  readonly symbol: string;
  readonly strategy: StrategyId;
  readonly outcome: 'quarantined' | 'already-held' | 'no-price' | 'filtered';
  /** The filter's reason code, or what the injection step found */
  readonly reason: string;
  readonly detail: string;
}

/**
 * Step 3 in validation mode: the day's injected signals instead of the strategies' — priced at the
 * close with the day's ATR as a strategy's would be. One the pipeline could not take (a
 * quarantined symbol, a symbol its strategy holds, no price yet) is reported to `screen` instead.
 */
export function injectSignals(
  deps: StepDeps,
  byDate: ReadonlyMap<string, readonly InjectedSignal[]>,
  screen: (screened: Screened) => void,
): Step {
  return async (state) => {
    const { store } = deps;
    const date = state.tradingDate;
    const [features, { value: portfolio }, day] = await Promise.all([
      requireFeatures(store, date),
      loadWorkingPortfolio(store, date),
      requireArtifact(store, date, 'day', DayArtifactSchema),
    ]);
    const context = { features: features.features(), sentiment: null };
    const quarantined = new Map(day.quarantined.map((q) => [q.symbol, q.reason]));
    const held = new Set(portfolio.lots.map((lot) => `${lot.strategy} ${lot.symbol}`));
    const signals: SignalsArtifact['signals'] = [];
    for (const signal of byDate.get(date) ?? []) {
      const s = features.indexOf(signal.symbol);
      const { close, atr } = context.features;
      const { symbol, strategy } = signal;
      const found = (outcome: Screened['outcome'], detail: string) =>
        screen({ date, symbol, strategy, outcome, reason: outcome, detail });
      // What generate-signals drops (quarantine) or the strategy scan never emits (a held symbol),
      // and what no strategy could price: a symbol before its first bar or still warming up
      if (quarantined.has(symbol)) {
        found('quarantined', quarantined.get(symbol)!);
      } else if (held.has(`${strategy} ${symbol}`)) {
        found('already-held', `${strategy} holds ${symbol}`);
      } else if (!(close[s]! > 0) || !Number.isFinite(atr[s]!)) {
        found('no-price', `no close or ATR for ${symbol} on ${date}`);
      } else {
        signals.push(signalAt(context, s, strategy, signal.confidence, signal.reason));
      }
    }
    const artifact: SignalsArtifact = { signals, sentiment: null, inactive: {}, failed: {} };
    await putArtifact(store, date, 'signals', artifact);
    return withCounts(state, { signals: signals.length });
  };
}

/** Reports the signals the correlation filter rejected today; the candidates are left as they are. */
function reportFiltered(deps: StepDeps, screen: (screened: Screened) => void): Step {
  return async (state) => {
    const date = state.tradingDate;
    const { rejected } = await requireArtifact(
      deps.store,
      date,
      'candidates',
      CandidatesArtifactSchema,
    );
    for (const { signal, reason, detail } of rejected) {
      const { symbol, strategy } = signal;
      screen({ date, symbol, strategy, outcome: 'filtered', reason, detail });
    }
    return state;
  };
}

/**
 * The daily pipeline in validation mode: generate-signals replaced by the injection step, and the
 * correlation filter's rejections reported as it makes them (the next day's run drops them). Sizing,
 * the risk checks, execution and the exits run as in production.
 */
export function injectionSteps(
  byDate: ReadonlyMap<string, readonly InjectedSignal[]>,
  screen: (screened: Screened) => void,
): (deps: StepDeps) => { name: string; run: Step }[] {
  return (deps) =>
    pipeline(deps).flatMap((step) => {
      if (step.name === 'generate-signals') {
        return [{ name: step.name, run: injectSignals(deps, byDate, screen) }];
      }
      if (step.name === 'filter-correlation') {
        return [step, { name: 'report-filtered', run: reportFiltered(deps, screen) }];
      }
      return [step];
    });
}
