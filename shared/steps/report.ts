import type { ClosedTrade, RegimeName, StrategyId, TradingState } from '../domain/model.js';
import { unrealisedPnl } from '../domain/portfolio/portfolio.js';
import type { RegimeArtifact } from './detect-regime.js';
import type { OrdersArtifact } from './execute-orders.js';
import type { DayArtifact } from './fetch-data.js';
import type { SignalsArtifact } from './generate-signals.js';
import type { ExitsArtifact } from './monitor-exits.js';
import { artifactKey, loadPortfolio, requireArtifact, requireMarketState } from './state.js';
import type { StepFactory } from './types.js';

export interface StrategyDay {
  readonly marketValue: number;
  readonly unrealisedPnl: number;
  readonly lots: number;
}

/** The day in numbers: what the email summarises and the backtest writes to equity.csv. */
export interface ReportArtifact {
  readonly date: string;
  readonly equity: number;
  readonly cash: number;
  /** Market value of the open lots at the close, dollars */
  readonly exposure: number;
  /** exposure / equity */
  readonly heat: number;
  readonly regime: RegimeName;
  readonly vix: number;
  readonly tradingState: TradingState;
  readonly tradingStateReason: string;
  readonly dailyReturn: number | null;
  readonly drawdown: number;
  readonly perStrategy: Partial<Record<StrategyId, StrategyDay>>;
  readonly closedTrades: readonly ClosedTrade[];
  readonly entriesSent: number;
  readonly exitsSent: number;
  readonly inactiveStrategies: SignalsArtifact['inactive'];
}

/** Step 9: marks the books at the close, writes the day's report and closes the day for the breakers. */
export const report: StepFactory =
  ({ config, store }) =>
  async (state) => {
    const date = state.tradingDate;
    const market = await requireMarketState(store, config, date);
    const day = await requireArtifact<DayArtifact>(store, date, 'day');
    const regime = await requireArtifact<RegimeArtifact>(store, date, 'regime');
    const { inactive } = await requireArtifact<SignalsArtifact>(store, date, 'signals');
    const orders = await requireArtifact<OrdersArtifact>(store, date, 'orders');
    const exits = await requireArtifact<ExitsArtifact>(store, date, 'exits');
    const portfolio = await loadPortfolio(store);
    const close = market.features().close;

    let exposure = 0;
    const perStrategy: Partial<Record<StrategyId, StrategyDay>> = {};
    for (const lot of portfolio.lots) {
      const mark = close[market.indexOf(lot.symbol)]!;
      const value = lot.qty * mark;
      exposure += value;
      const sofar = perStrategy[lot.strategy] ?? { marketValue: 0, unrealisedPnl: 0, lots: 0 };
      perStrategy[lot.strategy] = {
        marketValue: sofar.marketValue + value,
        unrealisedPnl: sofar.unrealisedPnl + unrealisedPnl(lot, mark),
        lots: sofar.lots + 1,
      };
    }
    const { equity, cash } = day.account;
    const peakEquity = Math.max(portfolio.peakEquity, equity);
    const artifact: ReportArtifact = {
      date,
      equity,
      cash,
      exposure,
      heat: equity > 0 ? exposure / equity : 0,
      regime: regime.regime.name,
      vix: regime.regime.vix,
      tradingState: regime.tradingState,
      tradingStateReason: regime.tradingStateReason,
      dailyReturn: portfolio.previousEquity === null ? null : equity / portfolio.previousEquity - 1,
      drawdown: peakEquity > 0 ? 1 - equity / peakEquity : 0,
      perStrategy,
      closedTrades: day.closedTrades,
      entriesSent: orders.records.filter((r) => r.intent === 'entry').length,
      exitsSent: exits.records.length,
      inactiveStrategies: inactive,
    };
    await store.put(artifactKey(date, 'report'), artifact);
    await store.put('portfolio', {
      ...portfolio,
      // REDUCING lasts one day; HALTED stays until a person resumes
      tradingState: regime.tradingState === 'HALTED' ? 'HALTED' : 'ACTIVE',
      previousEquity: equity,
      peakEquity,
      lastRunDate: date,
    });
    return state;
  };
