import type { TradingConfig } from '../domain/config.js';
import { InvalidInputError } from '../domain/errors.js';
import { MarketState } from '../domain/features/market-state.js';
import { dayBars, type MarketHistory } from '../domain/market/history.js';
import type { ClosedTrade, Lot } from '../domain/model.js';
import { unrealisedPnl } from '../domain/portfolio/portfolio.js';
import { assertIsoDate } from '../domain/time.js';
import type { NewsSource } from '../ports/index.js';
import type { DecisionsArtifact } from '../steps/check-risk.js';
import type { OrdersArtifact } from '../steps/execute-orders.js';
import { advanceMarketState, type DayArtifact } from '../steps/fetch-data.js';
import type { ExitsArtifact } from '../steps/monitor-exits.js';
import { pipeline } from '../steps/pipeline.js';
import type { ReportArtifact } from '../steps/report.js';
import { artifactKey, loadPortfolio } from '../steps/state.js';
import type { OrderRecord } from '../steps/submit-once.js';
import type { RunState, SentimentScorer } from '../steps/types.js';
import { HistoryMarketData } from './history-market-data.js';
import { type OrderLogRow, orderLogRow, rejectedOrderRow } from './order-log.js';
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
}

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
  readonly orders: readonly OrderLogRow[];
  readonly trades: readonly ClosedTrade[];
  readonly openPositions: readonly OpenPosition[];
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
 * after each close: the simulated broker opens the session (yesterday's orders fill at the open,
 * stops trigger on the low), marks at the close, and the nine steps run with the clock at 16:15 ET.
 */
export async function runBacktest(
  history: MarketHistory,
  config: TradingConfig,
  options: BacktestOptions = {},
): Promise<BacktestRun> {
  const { first, last } = resolvePeriod(history, options.from, options.to);
  const broker = new SimulatedBroker(history.symbols, config.initialCapital, config.costs);
  const store = new InMemoryStateStore();
  const clock = new SimulatedClock();
  const marketData = new HistoryMarketData(history);
  const steps = pipeline({
    config,
    marketData,
    broker,
    store,
    clock,
    news: options.news ?? null,
    sentiment: options.sentiment ?? null,
  });

  // Warm-up from the first bar of the data, so decisions do not depend on --from
  const market = MarketState.create(history.symbols, config);
  for (let d = 0; d < first; d++) advanceMarketState(market, dayBars(history, d));
  await store.put('market-state', market);

  const days: ReportArtifact[] = [];
  const orders: OrderLogRow[] = [];
  const records: OrderRecord[] = [];
  const trades: ClosedTrade[] = [];
  const total = last - first + 1;
  for (let d = first; d <= last; d++) {
    const bars = marketData.dayAt(d);
    broker.openSession(bars);
    clock.setTradingDate(bars.date);
    let state: RunState = { tradingDate: bars.date };
    for (const step of steps) state = await step.run(state);

    const date = bars.date;
    const report = (await store.get<ReportArtifact>(artifactKey(date, 'report')))!;
    days.push(report);
    trades.push(...(await store.get<DayArtifact>(artifactKey(date, 'day')))!.closedTrades);
    const { decisions } = (await store.get<DecisionsArtifact>(artifactKey(date, 'decisions')))!;
    for (const decision of decisions)
      if (!decision.approved) orders.push(rejectedOrderRow(date, decision));
    records.push(...(await store.get<OrdersArtifact>(artifactKey(date, 'orders')))!.records);
    records.push(...(await store.get<ExitsArtifact>(artifactKey(date, 'exits')))!.records);
    store.deleteRuns();
    options.onDay?.(d - first + 1, total, date);
  }

  for (const record of records)
    orders.push(orderLogRow(record, await broker.getOrder(record.clientOrderId)));
  orders.sort((a, b) =>
    a.decisionDate < b.decisionDate ? -1 : a.decisionDate > b.decisionDate ? 1 : 0,
  );

  const portfolio = await loadPortfolio(store);
  const finalBars = dayBars(history, last);
  const openPositions = portfolio.lots.map((lot): OpenPosition => {
    const mark = finalBars.close[market.indexOf(lot.symbol)]!;
    return { ...lot, mark, marketValue: lot.qty * mark, unrealisedPnl: unrealisedPnl(lot, mark) };
  });
  return {
    config,
    period: { from: history.dates[first]!, to: history.dates[last]! },
    firstDay: first,
    days,
    orders,
    trades,
    openPositions,
  };
}
