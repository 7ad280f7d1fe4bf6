import type { TradingConfig } from '../domain/config.js';
import { InvalidInputError } from '../domain/errors.js';
import { dayBars, type MarketHistory } from '../domain/market/history.js';
import type { ClosedTrade, Lot, StrategyId } from '../domain/model.js';
import { unrealisedPnl } from '../domain/portfolio/portfolio.js';
import { assertIsoDate } from '../domain/time.js';
import { type NewsSource, runKey, type StateStore } from '../ports/index.js';
import {
  type OrderRecord,
  PortfolioSchema,
  type ReportArtifact,
  ReportArtifactSchema,
  SignalsArtifactSchema,
} from '../steps/documents.js';
import { readJournal } from '../steps/order-journal.js';
import { pipeline } from '../steps/pipeline.js';
import type { RunState, SentimentScorer, Step, StepDeps } from '../steps/types.js';
import { HistoryCalendar } from './history-calendar.js';
import { HistoryMarketData } from './history-market-data.js';
import { type OrderLogRow, orderLogRow } from './order-log.js';
import { InMemoryStateStore, SimulatedClock } from './simulated/in-memory.js';
import { SimulatedBroker } from './simulated/simulated-broker.js';

export interface BacktestOptions {
  /** First trading date, inclusive; earlier history only warms the indicators up */
  readonly from?: string;
  /** Last trading date, inclusive */
  readonly to?: string;
  readonly news?: NewsSource | null;
  readonly sentiment?: SentimentScorer | null;
  /** Called after each traded day, for progress bars */
  readonly onDay?: (done: number, total: number, date: string) => void;
  /** The steps to run each day; the daily pipeline unless a research tool swaps one in */
  readonly steps?: (deps: StepDeps) => readonly { readonly name: string; readonly run: Step }[];
}

/** How many entry signals each strategy generated over a run (after quarantine). */
export type SignalCounts = Partial<Record<StrategyId, number>>;

export interface OpenPosition extends Lot {
  readonly mark: number;
  readonly marketValue: number;
  readonly unrealisedPnl: number;
}

/** Everything a backtest produced, before metrics. */
export interface BacktestRun {
  readonly config: TradingConfig;
  readonly period: { readonly from: string; readonly to: string };
  /** Index of `period.from` in the history */
  readonly firstDay: number;
  readonly days: readonly ReportArtifact[];
  /** Every order as the bot decided it, oldest first: the intent, before the venue's answer */
  readonly journal: readonly OrderRecord[];
  /** The journal with what the venue last said of each order, as orders.csv lists it */
  readonly orders: readonly OrderLogRow[];
  readonly trades: readonly ClosedTrade[];
  readonly openPositions: readonly OpenPosition[];
  readonly signals: SignalCounts;
}

/** Resolves --from/--to (inclusive) to trading-day indices of the history. */
export function resolvePeriod(
  history: MarketHistory,
  from?: string,
  to?: string,
): { first: number; last: number } {
  const dates = history.dates;
  if (dates.length === 0) throw new InvalidInputError('the history has no trading days');
  const start = from === undefined ? dates[0]! : assertIsoDate(from, '--from');
  const end = to === undefined ? dates[dates.length - 1]! : assertIsoDate(to, '--to');
  if (start > end) throw new InvalidInputError(`--from ${start} is after --to ${end}`);
  const first = dates.findIndex((date) => date >= start);
  let last = dates.length - 1;
  while (last >= 0 && dates[last]! > end) last--;
  if (first === -1 || last < first) {
    throw new InvalidInputError(
      `no trading days between ${start} and ${end} (data: ${dates[0]} .. ${dates[dates.length - 1]})`,
    );
  }
  return { first, last };
}

/**
 * Runs the daily pipeline over history, one trading day at a time, exactly as production runs it
 * after each close: fetch-data opens the simulated sessions since the last run (yesterday's orders
 * fill at the open, stops trigger on the low), and the nine steps run with the clock at 16:15 ET.
 * The first day warms the indicators up from the whole history before it, as a first live run does.
 */
export async function runBacktest(
  history: MarketHistory,
  config: TradingConfig,
  options: BacktestOptions = {},
): Promise<BacktestRun> {
  const { first, last } = resolvePeriod(history, options.from, options.to);
  const marketData = new HistoryMarketData(history);
  const broker = new SimulatedBroker(marketData, config.initialCapital, config.costs);
  const store = new InMemoryStateStore();
  const clock = new SimulatedClock();
  const steps = (options.steps ?? pipeline)({
    config,
    marketData,
    broker,
    venue: broker,
    calendar: new HistoryCalendar(history.dates),
    store,
    mailer: null,
    clock,
    news: options.news ?? null,
    sentiment: options.sentiment ?? null,
  });

  const total = last - first + 1;
  const signals: SignalCounts = {};
  for (let d = first; d <= last; d++) {
    const date = history.dates[d]!;
    clock.setTradingDate(date);
    let state: RunState = { tradingDate: date, runId: 'backtest' };
    for (const step of steps) state = await step.run(state);
    // Counted before the day's artefacts are dropped; a replay counts them from its store
    await countSignals(store, date, signals);
    store.forgetRun(date);
    options.onDay?.(d - first + 1, total, date);
  }
  return readRun(store, history, config, { first, last }, signals);
}

/** Adds the signals of a date's run, if the store holds them, to each strategy's count. */
async function countSignals(store: StateStore, date: string, into: SignalCounts): Promise<void> {
  const stored = await store.get(runKey(date, 'signals'), SignalsArtifactSchema);
  for (const { strategy } of stored?.value.signals ?? [])
    into[strategy] = (into[strategy] ?? 0) + 1;
}

/**
 * What the runs of the days first..last left in a store, as a backtest's result: the equity series,
 * the order journal, the trades the reports closed, and the positions open at the last close marked
 * at its closes. The backtest reads its in-memory store; a replay reads DynamoDB, through the same code.
 * The signal counts are read from each day's run unless the backtest counted them as it went.
 */
export async function readRun(
  store: StateStore,
  history: MarketHistory,
  config: TradingConfig,
  { first, last }: { first: number; last: number },
  counted?: SignalCounts,
): Promise<BacktestRun> {
  let signals = counted;
  if (signals === undefined) {
    signals = {};
    for (let d = first; d <= last; d++) await countSignals(store, history.dates[d]!, signals);
  }
  const days = (await store.list('equity', ReportArtifactSchema)).map((d) => d.value);
  const journal = await readJournal(store);
  const lastDate = history.dates[last]!;
  const closing = await store.latestBefore('portfolio', `${lastDate}~`, PortfolioSchema);
  const finalBars = dayBars(history, last);
  const index = new Map(history.symbols.map((symbol, s) => [symbol, s]));
  const openPositions = (closing?.value.lots ?? []).map((lot): OpenPosition => {
    const mark = finalBars.close[index.get(lot.symbol)!]!;
    return { ...lot, mark, marketValue: lot.qty * mark, unrealisedPnl: unrealisedPnl(lot, mark) };
  });
  return {
    config,
    period: { from: history.dates[first]!, to: lastDate },
    firstDay: first,
    days,
    journal,
    orders: journal.map(orderLogRow),
    trades: days.flatMap((day) => day.closedTrades),
    openPositions,
    signals,
  };
}
