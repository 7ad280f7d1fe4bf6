import { beforeAll, describe, expect, it } from 'vitest';
import { loadVaderLexicon } from '../../../shared/adapters/lexicon-file.js';
import { runBacktest } from '../../../shared/backtest/engine.js';
import { HistoryMarketData } from '../../../shared/backtest/history-market-data.js';
import type {
  InMemoryStateStore,
  SimulatedClock,
} from '../../../shared/backtest/simulated/in-memory.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { MarketState } from '../../../shared/domain/features/market-state.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import type { ExitDecision } from '../../../shared/domain/model.js';
import { clientOrderId, replacedStopId } from '../../../shared/domain/orders/client-order-id.js';
import type { Portfolio } from '../../../shared/domain/portfolio/portfolio.js';
import { VaderScorer } from '../../../shared/domain/sentiment/vader.js';
import {
  type Broker,
  type Headline,
  type NewsSource,
  type Order,
  type OrderRequest,
  orderKey,
  runKey,
  type StateStore,
} from '../../../shared/ports/index.js';
import {
  DecisionsArtifactSchema,
  ExitsArtifactSchema,
  OrderRecordSchema,
  PortfolioSchema,
  ReportArtifactSchema,
} from '../../../shared/steps/documents.js';
import { executeOrders } from '../../../shared/steps/execute-orders.js';
import { fetchData } from '../../../shared/steps/fetch-data.js';
import { setTradingState } from '../../../shared/steps/halt.js';
import { monitorExits } from '../../../shared/steps/monitor-exits.js';
import { readJournal } from '../../../shared/steps/order-journal.js';
import { pipeline } from '../../../shared/steps/pipeline.js';
import { submitOnce } from '../../../shared/steps/submit-once.js';
import type { RunState, StepDeps } from '../../../shared/steps/types.js';
import { generateMarket } from '../../support/market-generator.js';
import { CountingBroker, delegate, refusal, stepConfig, wire } from '../../support/step-wiring.js';

const config = stepConfig;
let market: MarketHistory;
beforeAll(() => {
  market = generateMarket({ symbols: 8, days: 400, seed: 11 });
});

/** A venue that refuses every exit, as Alpaca does a sell it cannot take. */
class RefusingExitsBroker extends CountingBroker {
  override async submitOrder(request: OrderRequest): Promise<Order> {
    if (request.intent !== 'exit') return super.submitOrder(request);
    this.submits += 1;
    return refusal(request, 'insufficient qty available for order');
  }
}

/** A venue that goes down after taking the first entry decided on `failOn`. */
class FailingAfterOneEntryBroker extends CountingBroker {
  failOn = '';
  #entries = 0;
  override async submitOrder(request: OrderRequest): Promise<Order> {
    const today = request.intent === 'entry' && request.clientOrderId.startsWith(this.failOn);
    if (today && ++this.#entries === 2) throw new Error('venue down');
    return super.submitOrder(request);
  }
}

/** Refuses every exit, and the stops re-placed for the lots an exit leaves held. */
class RefusingExitsAndKeptStopsBroker extends RefusingExitsBroker {
  override async submitOrder(request: OrderRequest): Promise<Order> {
    if (request.intent !== 'stop' || !request.clientOrderId.endsWith('-kept')) {
      return super.submitOrder(request);
    }
    this.submits += 1;
    return refusal(request, 'asset is not tradable');
  }
}

/** Runs the pipeline day by day until `stop` says so; returns what it wired. */
async function runUntil(stop: (state: RunState) => boolean, Venue = CountingBroker) {
  const { deps, broker, store, clock: runClock } = wire(market, Venue);
  clock = runClock;
  for (let d = 0; d < market.dates.length; d++) {
    const date = market.dates[d]!;
    runClock.setTradingDate(date);
    let state: RunState = { tradingDate: date, runId: 'test' };
    for (const step of pipeline(deps)) state = await step.run(state);
    if (stop(state)) return { deps, broker, store, state, day: d };
  }
  throw new Error('the condition never held');
}

let clock: SimulatedClock;

const working = async (store: InMemoryStateStore, date: string) =>
  (await store.get(runKey(date, 'working-portfolio'), PortfolioSchema))!.value;

/** Runs until the venue refuses an exit: the refused exit and the lots it leaves held that day. */
async function untilAnExitIsRefused(Venue: typeof CountingBroker) {
  const run = await runUntil((s) => (s.counts?.exitOrders ?? 0) > 0, Venue);
  const date = run.state.tradingDate;
  const refused = (await readJournal(run.store)).find(
    (r) => r.decisionDate === date && r.intent === 'exit',
  )!;
  const held = (await working(run.store, date)).lots.filter((l) => l.symbol === refused.symbol);
  expect(held.length).toBeGreaterThan(0);
  return { ...run, date, refused, held };
}

describe('the pipeline steps', () => {
  it('a retried execute-orders step sends no order twice', async () => {
    const { deps, broker, store, state } = await runUntil((s) => (s.counts?.approved ?? 0) > 0);
    const sent = broker.submits;
    const pendingBefore = (await working(store, state.tradingDate)).pending;

    await executeOrders(deps)(state);

    expect(broker.submits).toBe(sent);
    expect((await working(store, state.tradingDate)).pending).toEqual(pendingBefore);
  });

  it('every step run again for the same day changes nothing and sends nothing new', async () => {
    const { deps, broker, store, state } = await runUntil((s) => (s.counts?.exitOrders ?? 0) > 0);
    const before = JSON.stringify({
      journal: await readJournal(store),
      orders: broker.allOrders(),
      equity: await store.list('equity', PortfolioSchema),
      portfolio: await store.latestBefore('portfolio', '9999', PortfolioSchema),
    });
    const sent = broker.submits;

    let again: RunState = { tradingDate: state.tradingDate, runId: 'test' };
    for (const step of pipeline(deps)) again = await step.run(again);

    expect(broker.submits).toBe(sent);
    expect(again.counts).toEqual(state.counts);
    const after = JSON.stringify({
      journal: await readJournal(store),
      orders: broker.allOrders(),
      equity: await store.list('equity', PortfolioSchema),
      portfolio: await store.latestBefore('portfolio', '9999', PortfolioSchema),
    });
    // Versions move on with each rewrite; the documents do not
    expect(after.replace(/"version":\d+/g, '')).toBe(before.replace(/"version":\d+/g, ''));
  });

  it('quarantines a symbol the broker holds and the books do not; the others trade on', async () => {
    const { deps, broker, store, day } = await runUntil((s) => (s.counts?.approved ?? 0) > 0);
    const symbol = market.symbols[0]!;
    // Someone buys by hand at the venue
    await broker.submitOrder({
      clientOrderId: 'manual',
      symbol,
      side: 'buy',
      qty: 3,
      type: 'market',
      intent: 'entry',
      timeInForce: 'day',
    });
    const next = market.dates[day + 1]!;
    clock.setTradingDate(next);
    let state: RunState = { tradingDate: next, runId: 'test' };
    for (const step of pipeline(deps)) state = await step.run(state);

    const report = (await store.get(`equity/${next}`, ReportArtifactSchema))!.value;
    expect(report.alerts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${symbol} quarantined .*broker`)),
      ]),
    );
    const decided = (await readJournal(store)).filter((r) => r.decisionDate === next);
    expect(decided.some((r) => r.symbol === symbol)).toBe(false);
    expect(state.counts?.quarantined).toBe(1);
  });

  it('an exit the venue refuses leaves its lots held and protected by re-placed stops', async () => {
    const { deps, broker, store, state, day, date, refused, held } =
      await untilAnExitIsRefused(RefusingExitsBroker);
    expect(refused.venue?.status).toBe('rejected');
    for (const lot of held) {
      expect(lot.stopOrderId).toBe(replacedStopId(date, lot, 'kept'));
      expect(await broker.getOrder(lot.stopOrderId)).toMatchObject({
        type: 'stop',
        status: 'open',
        timeInForce: 'gtc',
        qty: lot.qty,
        stopPrice: lot.stopPrice,
      });
    }
    const report = (await store.get(`equity/${date}`, ReportArtifactSchema))!.value;
    const exitsToday = (await readJournal(store)).filter(
      (r) => r.decisionDate === date && r.intent === 'exit',
    );
    // Each refused exit by symbol, with the venue's reason
    expect(exitsToday.length).toBeGreaterThan(0);
    for (const exit of exitsToday) {
      expect(report.alerts).toContain(
        `${exit.symbol}: SELL ${exit.qty} (exit ${exit.clientOrderId}) refused by the venue: insufficient qty available for order`,
      );
    }

    // A rerun cancels nothing and sends nothing new; the next day finds the lots protected
    const submits = broker.submits;
    await monitorExits(deps)(state);
    expect(broker.submits).toBe(submits);
    for (const lot of held) expect((await broker.getOrder(lot.stopOrderId))?.status).toBe('open');
    const next = market.dates[day + 1]!;
    clock.setTradingDate(next);
    let after: RunState = { tradingDate: next, runId: 'test' };
    for (const step of pipeline(deps)) after = await step.run(after);
    expect(after.counts?.quarantined).toBe(0);
  });

  it('a lot whose re-placed stop is refused too is protected again by the next run', async () => {
    // Prepare: the day an exit and then the lot's new stop are refused, which the venue keeps no
    // record of
    const {
      deps,
      broker,
      store,
      day,
      refused,
      held: bare,
    } = await untilAnExitIsRefused(RefusingExitsAndKeptStopsBroker);
    for (const lot of bare) expect(await broker.getOrder(lot.stopOrderId)).toBeUndefined();
    // Act: the next run's fetch-data
    const next = market.dates[day + 1]!;
    clock.setTradingDate(next);
    await fetchData(deps)({ tradingDate: next, runId: 'test' });
    // Assess: each lot has a stop at the venue again, for its shares at its price
    const lots = (await working(store, next)).lots.filter((l) => l.symbol === refused.symbol);
    expect(lots.map((lot) => lot.qty)).toEqual(bare.map((lot) => lot.qty));
    for (const lot of lots) {
      expect(lot.stopOrderId).toBe(replacedStopId(next, lot, 'protect'));
      expect(await broker.getOrder(lot.stopOrderId)).toMatchObject({
        type: 'stop',
        status: 'open',
        qty: lot.qty,
        stopPrice: lot.stopPrice,
      });
    }
  });

  it('a run resumed under a halt keeps the entry its crashed attempt sent, and sends no other', async () => {
    // Prepare: the first day with two approved entries, run again on a venue that goes down
    // after taking the first (the attempt fails before the books hear of it), then a halt
    const { day } = await runUntil((s) => (s.counts?.approved ?? 0) >= 2);
    const date = market.dates[day]!;
    const { deps, broker, store } = wire(market, FailingAfterOneEntryBroker);
    (broker as FailingAfterOneEntryBroker).failOn = date;
    for (const d of market.dates.slice(0, day + 1)) {
      clock = deps.clock as SimulatedClock;
      (deps.clock as SimulatedClock).setTradingDate(d);
      let state: RunState = { tradingDate: d, runId: 'test' };
      try {
        for (const step of pipeline(deps)) state = await step.run(state);
      } catch (error) {
        expect(d).toBe(date);
        expect((error as Error).message).toMatch(/venue down/);
      }
    }
    const [sentId, unsentId] = (await store.get(
      runKey(date, 'decisions'),
      DecisionsArtifactSchema,
    ))!.value.decisions
      .filter((d) => d.approved)
      .map((d) => clientOrderId(date, d.order.symbol, 'buy', 'entry'));
    expect(await broker.getOrder(sentId!)).toBeDefined();
    expect((await working(store, date)).pending.map((p) => p.clientOrderId)).not.toContain(sentId);
    await setTradingState(store, {
      state: 'HALTED',
      by: 'alarm',
      at: '2026-01-01T00:00:00.000Z',
      reason: 'the run failed',
    });
    // As the code before entries carried their stop and target journalled it
    const sentRecord = (await store.get(orderKey(sentId!), OrderRecordSchema))!;
    const { stopPrice, targetPrice, ...older } = sentRecord.value;
    await store.put(orderKey(sentId!), older, sentRecord.version);
    const submits = broker.submits;

    // Act: the resumed run, every step from the top
    let state: RunState = { tradingDate: date, runId: 'test', resumed: true };
    for (const step of pipeline(deps)) state = await step.run(state);

    // Assess: the entry at the venue is in the books with its stop; the other was never sent
    expect(broker.submits).toBe(submits);
    expect(await broker.getOrder(unsentId!)).toBeUndefined();
    const booked = (await working(store, date)).pending.find((p) => p.clientOrderId === sentId);
    expect(booked).toMatchObject({
      intent: 'entry',
      stopOrderId: expect.stringContaining('-stop'),
      stopPrice,
      targetPrice,
    });
    expect(stopPrice).toBeGreaterThan(0);
    const journal = await readJournal(store);
    expect(journal.find((r) => r.clientOrderId === sentId)).toMatchObject({
      riskRejected: false,
      venue: { status: 'open' },
    });
    expect(journal.find((r) => r.clientOrderId === unsentId)).toMatchObject({
      riskRejected: true,
      reason: expect.stringMatching(/^TRADING_STATE/),
      venue: null,
    });
    expect(state.counts?.entriesSent).toBe(1);
    const report = (await store.get(`equity/${date}`, ReportArtifactSchema))!.value;
    expect(report.alerts).toEqual(
      expect.arrayContaining([expect.stringContaining(`${sentId} kept`)]),
    );
  });

  it('a run resumed under another config keeps the exit its crashed attempt sent', async () => {
    // Prepare: the first time exit, then the same days again with monitor-exits failing after it
    // sent that exit, before the books heard of it
    const found = wire(market);
    let day = -1;
    let timed: ExitDecision | undefined;
    for (let d = 0; day < 0; d++) {
      const date = market.dates[d]!;
      (found.deps.clock as SimulatedClock).setTradingDate(date);
      let state: RunState = { tradingDate: date, runId: 'test' };
      for (const step of pipeline(found.deps)) state = await step.run(state);
      const exits = (await found.store.get(runKey(date, 'exits'), ExitsArtifactSchema))!.value;
      timed = exits.exits.find((e) => e.reason === 'time');
      if (timed) day = d;
    }
    const date = market.dates[day]!;
    const { deps, broker, store } = wire(market);
    const failing: StepDeps = { ...deps, store: failingWorkingPortfolio(store, date) };
    for (const d of market.dates.slice(0, day + 1)) {
      (deps.clock as SimulatedClock).setTradingDate(d);
      let state: RunState = { tradingDate: d, runId: 'test' };
      const steps = pipeline(d === date ? failing : deps);
      try {
        for (const step of steps) state = await step.run(state);
      } catch (error) {
        expect(d).toBe(date);
        expect((error as Error).message).toBe('crashed before the books were written');
      }
    }
    const exitId = clientOrderId(date, timed!.symbol, 'sell', 'exit');
    expect(await broker.getOrder(exitId)).toBeDefined();
    expect((await working(store, date)).pending.map((p) => p.clientOrderId)).not.toContain(exitId);
    const submits = broker.submits;

    // Act: resumed after a deploy under which that lot would not time out today
    const patient = parseConfig({
      ...config,
      strategies: {
        ...config.strategies,
        'rsi-mean-reversion': { ...config.strategies['rsi-mean-reversion'], maxHoldDays: 500 },
        'volatility-breakout': { ...config.strategies['volatility-breakout'], maxHoldDays: 500 },
      },
    });
    let state: RunState = { tradingDate: date, runId: 'test', resumed: true };
    for (const step of pipeline({ ...deps, config: patient })) state = await step.run(state);

    // Assess: the exit the venue has is in the books; nothing was sent again
    expect(broker.submits).toBe(submits);
    expect((await working(store, date)).pending).toContainEqual(
      expect.objectContaining({ intent: 'exit', clientOrderId: exitId }),
    );
  });

  it("a first run asks the market data for the config's warm-up", async () => {
    const asked: number[] = [];
    const { deps } = wire(market);
    const marketData = deps.marketData;
    const recording: StepDeps = {
      ...deps,
      marketData: {
        dayBars: (date) => marketData.dayBars(date),
        daysBefore: (date, minSessions) => {
          asked.push(minSessions);
          return marketData.daysBefore(date, minSessions);
        },
      },
    };
    const date = market.dates[350]!;
    await fetchData(recording)({ tradingDate: date, runId: 'test' });
    expect(asked).toEqual([MarketState.warmUpSessions(config)]);
  });

  it('never goes back to a date before the stored state', async () => {
    const { deps, store, day } = await runUntil((s) => (s.counts?.approved ?? 0) > 0);
    const earlier = market.dates[day - 1]!;
    // As if that day's run had left nothing behind: a rerun could not return its stored day
    store.forgetRun(earlier);
    await expect(fetchData(deps)({ tradingDate: earlier, runId: 'test' })).rejects.toThrow(
      /already at the close of .*is not after it/,
    );
  });
});

/** The store, but the write of `date`'s working portfolio with that day's exits fails. */
function failingWorkingPortfolio(store: InMemoryStateStore, date: string): StateStore {
  const withExits = (value: unknown) =>
    (value as Portfolio).pending.some((p) => p.intent === 'exit' && p.decisionDate === date);
  return {
    get: (key, schema) => store.get(key, schema),
    put: async (key, value, expected) => {
      if (key === runKey(date, 'working-portfolio') && withExits(value)) {
        throw new Error('crashed before the books were written');
      }
      return store.put(key, value, expected);
    },
    replace: (key, value) => store.replace(key, value),
    latestBefore: (series, before, schema) => store.latestBefore(series, before, schema),
    list: (series, schema) => store.list(series, schema),
    getSnapshot: (key, schema) => store.getSnapshot(key, schema),
    putSnapshot: (key, value) => store.putSnapshot(key, value),
  };
}

const oneSymbol = () => generateMarket({ symbols: 1, days: 5, seed: 3 });

describe('submitOnce', () => {
  const request: OrderRequest = {
    clientOrderId: 'id-1',
    symbol: 'S000',
    side: 'buy',
    qty: 1,
    type: 'market',
    intent: 'entry',
    timeInForce: 'day',
  };

  it('after a failure of unknown outcome finds the order that landed instead of resending', async () => {
    const venue = new CountingBroker(new HistoryMarketData(oneSymbol()), 1_000, config.costs);
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
    const venue = new CountingBroker(new HistoryMarketData(oneSymbol()), 1_000, config.costs);
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
