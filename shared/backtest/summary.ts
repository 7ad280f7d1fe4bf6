import { STRATEGY_IDS, type TradingConfig } from '../domain/config.js';
import type { MarketHistory } from '../domain/market/history.js';
import { equalWeightReturns, type Metrics, metricsFor } from '../domain/metrics/index.js';
import type { ClosedTrade, StrategyId } from '../domain/model.js';
import type { BacktestRun, OpenPosition } from './engine.js';

export interface BacktestSummary {
  readonly config: TradingConfig;
  readonly period: { readonly from: string; readonly to: string };
  readonly benchmark: string;
  readonly metrics: Metrics & { readonly initialCapital: number; readonly finalEquity: number };
  readonly perStrategy: Partial<Record<StrategyId, Metrics>>;
  readonly openPositions: readonly OpenPosition[];
  /** final equity − (initial capital + Σ closed pnl + Σ open unrealised): zero up to rounding */
  readonly reconciliationError: number;
  /** Each strategy's entry signals against its fills: what the filters and limits let through */
  readonly signalFlow: Partial<Record<StrategyId, SignalFlow>>;
}

/** A strategy's entries from signal to fill. */
export interface SignalFlow {
  readonly signals: number;
  /** Dropped before sizing: a better signal in the symbol, or too correlated with a holding */
  readonly filteredOut: number;
  /** Stopped by the risk checks, by reason code */
  readonly riskRejected: Readonly<Record<string, number>>;
  /** Sent to the broker */
  readonly sent: number;
  readonly filled: number;
}

/** Signals against fills per strategy, from the run's signal counts and its order journal. */
function signalFlow(
  run: BacktestRun,
  strategies: readonly StrategyId[],
): Partial<Record<StrategyId, SignalFlow>> {
  const flow: Partial<Record<StrategyId, SignalFlow>> = {};
  for (const id of strategies) {
    const entries = run.orders.filter((o) => o.side === 'buy' && o.strategy === id);
    const riskRejected: Record<string, number> = {};
    let sent = 0;
    let filled = 0;
    for (const order of entries) {
      if (order.status === 'risk-rejected') {
        // The journal keeps "CODE: detail" as a rejected entry's reason
        const code = order.reason.split(':')[0]!;
        riskRejected[code] = (riskRejected[code] ?? 0) + 1;
      } else {
        sent += 1;
        if (order.status === 'filled') filled += 1;
      }
    }
    const signals = run.signals[id] ?? 0;
    flow[id] = { signals, filteredOut: signals - entries.length, riskRejected, sent, filled };
  }
  return flow;
}

/** Daily benchmark returns over the run's days, on the price-return basis the bot trades on. */
function benchmarkReturns(
  history: MarketHistory,
  run: BacktestRun,
): { name: string; returns: Float64Array } {
  const days = run.days.length;
  const from = run.firstDay;
  if (run.config.metrics.benchmark !== 'equal-weight') {
    const series = history.benchmark;
    if (!series)
      return {
        name: 'none (the data folder has no benchmark)',
        returns: new Float64Array(days).fill(Number.NaN),
      };
    const returns = new Float64Array(days);
    for (let i = 0; i < days; i++) {
      const d = from + i;
      returns[i] = d === 0 ? Number.NaN : series.close[d]! / series.close[d - 1]! - 1;
    }
    return { name: `${series.name} (price return)`, returns };
  }
  const n = history.symbols.length;
  const all = equalWeightReturns(history.close, n, history.dates.length);
  return {
    name: 'equal-weight universe (price return, daily rebalanced)',
    returns: all.slice(from, from + days),
  };
}

/** Metrics overall and per strategy; each strategy's curve is capital plus its own realised and open P&L. */
export function summarise(history: MarketHistory, run: BacktestRun): BacktestSummary {
  const { config, days, trades } = run;
  const dates = days.map((d) => d.date);
  const equity = Float64Array.from(days, (d) => d.equity);
  const exposure = Float64Array.from(days, (d) => d.heat);
  const benchmark = benchmarkReturns(history, run);
  const common = {
    dates,
    initialCapital: config.initialCapital,
    benchmarkReturns: benchmark.returns,
    riskFreeRate: config.metrics.riskFreeRate,
  };
  const overall = metricsFor({ ...common, equity, exposure, trades });

  // One pass splits the trades by strategy, in run order
  const tradesOf = new Map<StrategyId, ClosedTrade[]>(STRATEGY_IDS.map((id) => [id, []]));
  for (const trade of trades) tradesOf.get(trade.strategy)?.push(trade);

  const perStrategy: Partial<Record<StrategyId, Metrics>> = {};
  for (const id of STRATEGY_IDS) {
    const own = tradesOf.get(id)!;
    const curve = new Float64Array(days.length);
    const share = new Float64Array(days.length);
    let held = false;
    let realised = 0;
    let t = 0;
    const byExit = [...own].sort((a, b) =>
      a.exitDate < b.exitDate ? -1 : a.exitDate > b.exitDate ? 1 : 0,
    );
    for (let i = 0; i < days.length; i++) {
      const day = days[i]!;
      while (t < byExit.length && byExit[t]!.exitDate <= day.date) realised += byExit[t++]!.pnl;
      const open = day.perStrategy[id];
      if (open !== undefined) held = true;
      curve[i] = config.initialCapital + realised + (open?.unrealisedPnl ?? 0);
      share[i] = day.equity > 0 ? (open?.marketValue ?? 0) / day.equity : 0;
    }
    const active = own.length > 0 || held;
    if (!active && !config.strategies.enabled.includes(id)) continue;
    perStrategy[id] = metricsFor({ ...common, equity: curve, exposure: share, trades: own });
  }

  const finalEquity = equity[equity.length - 1] ?? config.initialCapital;
  const closedPnl = trades.reduce((sum, t) => sum + t.pnl, 0);
  const openPnl = run.openPositions.reduce((sum, p) => sum + p.unrealisedPnl, 0);
  return {
    config,
    period: run.period,
    benchmark: benchmark.name,
    metrics: { ...overall, initialCapital: config.initialCapital, finalEquity },
    perStrategy,
    openPositions: run.openPositions,
    reconciliationError: finalEquity - (config.initialCapital + closedPnl + openPnl),
    signalFlow: signalFlow(run, Object.keys(perStrategy) as StrategyId[]),
  };
}
