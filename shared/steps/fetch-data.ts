import { InvalidInputError } from '../domain/errors.js';
import { MarketState } from '../domain/features/market-state.js';
import type { DayBars } from '../domain/market/history.js';
import type { ClosedTrade } from '../domain/model.js';
import { applyFills, assertPositionsMatch } from '../domain/portfolio/apply-fills.js';
import type { Account, Order } from '../ports/index.js';
import { artifactKey, loadMarketState, loadPortfolio } from './state.js';
import type { StepFactory } from './types.js';
import { withCounts, withFields } from './types.js';

/** What fetch-data learnt of the day: the account after the close and what the broker filled. */
export interface DayArtifact {
  readonly vix: number;
  readonly account: Account;
  readonly closedTrades: readonly ClosedTrade[];
  readonly filled: readonly Order[];
  readonly unfilled: readonly Order[];
}

/** Advances the market state by one day; running it twice for the same day changes nothing. */
export function advanceMarketState(market: MarketState, day: DayBars): void {
  if (market.lastDate === day.date) return;
  market.update(day);
}

/**
 * Step 1: the day's bars advance the indicators, and the broker's fills since the last run
 * reconcile the lots (entries become lots, exits and stops close them), checked against the
 * broker's net positions.
 */
export const fetchData: StepFactory =
  ({ config, marketData, broker, store }) =>
  async (state) => {
    const day = await marketData.dayBars(state.tradingDate);
    if (day.date !== state.tradingDate) {
      throw new InvalidInputError(`market data answered ${day.date} for ${state.tradingDate}`);
    }
    const market =
      (await loadMarketState(store, config)) ?? MarketState.create(day.symbols, config);
    advanceMarketState(market, day);
    await store.put('market-state', market);

    let portfolio = await loadPortfolio(store);
    if (portfolio.lastRunDate !== null && portfolio.lastRunDate >= state.tradingDate) {
      throw new InvalidInputError(
        `the portfolio already ran ${portfolio.lastRunDate}; ${state.tradingDate} is not after it`,
      );
    }
    const ids = [
      ...portfolio.pending.flatMap((p) =>
        p.intent === 'entry' ? [p.clientOrderId, p.stopOrderId] : [p.clientOrderId],
      ),
      ...portfolio.lots.map((l) => l.stopOrderId),
    ];
    const orders = new Map<string, Order>();
    for (const id of ids) {
      const order = await broker.getOrder(id);
      if (order) orders.set(id, order);
    }
    const applied = applyFills(portfolio, orders, market.session);
    portfolio = applied.portfolio;
    assertPositionsMatch(portfolio.lots, await broker.getPositions());
    await store.put('portfolio', portfolio);

    const account = await broker.getAccount();
    const artifact: DayArtifact = {
      vix: day.vix,
      account,
      closedTrades: applied.closedTrades,
      filled: applied.filled,
      unfilled: applied.unfilled,
    };
    await store.put(artifactKey(state.tradingDate, 'day'), artifact);
    return withCounts(withFields(state, { equity: account.equity, cash: account.cash }), {
      closedTrades: applied.closedTrades.length,
      unfilledOrders: applied.unfilled.length,
    });
  };
