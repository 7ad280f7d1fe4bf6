import { beforeAll, describe, expect, it } from 'vitest';
import { loadVaderLexicon } from '../../../shared/adapters/lexicon-file.js';
import { runBacktest } from '../../../shared/backtest/engine.js';
import { HistoryMarketData } from '../../../shared/backtest/history-market-data.js';
import {
  InMemoryStateStore,
  SimulatedClock,
} from '../../../shared/backtest/simulated/in-memory.js';
import { SimulatedBroker } from '../../../shared/backtest/simulated/simulated-broker.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { dayBars, type MarketHistory } from '../../../shared/domain/market/history.js';
import type { Portfolio } from '../../../shared/domain/portfolio/portfolio.js';
import { VaderScorer } from '../../../shared/domain/sentiment/vader.js';
import type { Broker, Headline, NewsSource, OrderRequest } from '../../../shared/ports/index.js';
import { executeOrders } from '../../../shared/steps/execute-orders.js';
import { pipeline } from '../../../shared/steps/pipeline.js';
import { submitOnce } from '../../../shared/steps/submit-once.js';
import type { RunState, StepDeps } from '../../../shared/steps/types.js';
import { generateMarket } from '../../support/market-generator.js';

const config = parseConfig({
  strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover', 'volatility-breakout'] },
});
let market: MarketHistory;
beforeAll(() => {
  market = generateMarket({ symbols: 8, days: 400, seed: 11 });
});

/** A broker that counts what reaches the venue. */
class CountingBroker extends SimulatedBroker {
  submits = 0;
  override async submitOrder(request: OrderRequest) {
    this.submits += 1;
    return super.submitOrder(request);
  }
}

/** Runs the pipeline day by day until `stop` says so; returns what it wired. */
async function runUntil(stop: (state: RunState) => boolean) {
  const broker = new CountingBroker(market.symbols, config.initialCapital, config.costs);
  const store = new InMemoryStateStore();
  const clock = new SimulatedClock();
  const deps: StepDeps = {
    config,
    marketData: new HistoryMarketData(market),
    broker,
    store,
    clock,
    news: null,
    sentiment: null,
  };
  for (let d = 0; d < market.dates.length; d++) {
    const bars = dayBars(market, d);
    broker.openSession(bars);
    clock.setTradingDate(bars.date);
    let state: RunState = { tradingDate: bars.date };
    for (const step of pipeline(deps)) state = await step.run(state);
    if (stop(state)) return { deps, broker, store, state, day: d };
  }
  throw new Error('the condition never held');
}

describe('the pipeline steps', () => {
  it('a retried execute-orders step sends no order twice', async () => {
    const { deps, broker, store, state } = await runUntil((s) => (s.counts?.approved ?? 0) > 0);
    const sent = broker.submits;
    const pendingBefore = (await store.get<Portfolio>('portfolio'))!.pending;

    await executeOrders(deps)(state);

    expect(broker.submits).toBe(sent);
    expect((await store.get<Portfolio>('portfolio'))!.pending).toEqual(pendingBefore);
  });

  it('fetch-data stops when the broker holds what the books do not', async () => {
    const { deps, broker, day } = await runUntil((s) => (s.counts?.approved ?? 0) > 0);
    // Someone buys by hand at the venue
    await broker.submitOrder({
      clientOrderId: 'manual',
      symbol: market.symbols[0]!,
      side: 'buy',
      qty: 3,
      type: 'market',
      intent: 'entry',
    });
    const next = dayBars(market, day + 1);
    broker.openSession(next);
    const [fetch] = pipeline(deps);
    await expect(fetch!.run({ tradingDate: next.date })).rejects.toThrow(
      /positions differ from the broker's: S000/,
    );
  });

  it('refuses to run a trading date twice', async () => {
    const { deps, state } = await runUntil(() => true);
    const [fetch] = pipeline(deps);
    await expect(fetch!.run({ tradingDate: state.tradingDate })).rejects.toThrow(/already ran/);
  });
});

/** The broker's methods bound to it, to override one. */
const delegate = (broker: Broker): Broker => ({
  getAccount: () => broker.getAccount(),
  getPositions: () => broker.getPositions(),
  getOrder: (id) => broker.getOrder(id),
  submitOrder: (r) => broker.submitOrder(r),
  cancelOrder: (id) => broker.cancelOrder(id),
});

describe('submitOnce', () => {
  const request: OrderRequest = {
    clientOrderId: 'id-1',
    symbol: 'S000',
    side: 'buy',
    qty: 1,
    type: 'market',
    intent: 'entry',
  };

  it('after a failure of unknown outcome finds the order that landed instead of resending', async () => {
    const venue = new CountingBroker(['S000'], 1_000, config.costs);
    const flaky: Broker = {
      ...delegate(venue),
      submitOrder: async (r: OrderRequest) => {
        await venue.submitOrder(r);
        throw new Error('socket hang up');
      },
    };
    const order = await submitOnce(flaky, request);
    expect(order.clientOrderId).toBe('id-1');
    expect(venue.submits).toBe(1);
  });

  it('rethrows when the order did not land, so the state machine decides', async () => {
    const venue = new CountingBroker(['S000'], 1_000, config.costs);
    const down: Broker = {
      ...delegate(venue),
      submitOrder: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    await expect(submitOnce(down, request)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('news-sentiment', () => {
  it('is inactive without a news source and trades on positive headlines with one', async () => {
    const scorer = new VaderScorer(await loadVaderLexicon('data/sentiment/vader_lexicon.csv'));
    const news: NewsSource = {
      async headlines(symbols, _since, until): Promise<Headline[]> {
        return symbols.map((symbol) => ({
          id: `${symbol}-${until.toISOString()}`,
          symbols: [symbol],
          headline: `${symbol} posts record profit and strong growth, analysts delighted`,
          createdAt: until.toISOString(),
        }));
      },
    };
    const withNews = parseConfig({ strategies: { enabled: ['news-sentiment'] } });
    const without = await runBacktest(market, withNews, { from: market.dates[60]! });
    expect(without.trades).toEqual([]);
    expect(without.days[0]!.inactiveStrategies['news-sentiment']).toBe('no news source configured');

    const traded = await runBacktest(market, withNews, {
      from: market.dates[60]!,
      news,
      sentiment: scorer,
    });
    expect(traded.trades.length).toBeGreaterThan(0);
    expect(new Set(traded.trades.map((t) => t.strategy))).toEqual(new Set(['news-sentiment']));
  });
});
