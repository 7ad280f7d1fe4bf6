import { HistoryCalendar } from '../../shared/backtest/history-calendar.js';
import { HistoryMarketData } from '../../shared/backtest/history-market-data.js';
import { InMemoryStateStore, SimulatedClock } from '../../shared/backtest/simulated/in-memory.js';
import { SimulatedBroker } from '../../shared/backtest/simulated/simulated-broker.js';
import { parseConfig, type TradingConfig } from '../../shared/domain/config.js';
import type { MarketHistory } from '../../shared/domain/market/history.js';
import type { Broker, Order, OrderRequest } from '../../shared/ports/index.js';
import type { StepDeps } from '../../shared/steps/types.js';

/** The strategies that trade on a generated market without news or a trained model. */
export const stepConfig = parseConfig({
  strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover', 'volatility-breakout'] },
});

/** A broker that counts what reaches the venue. */
export class CountingBroker extends SimulatedBroker {
  submits = 0;
  override async submitOrder(request: OrderRequest) {
    this.submits += 1;
    return super.submitOrder(request);
  }
}

/** The venue's answer to an order it refuses when sent, as Alpaca's is: nothing is stored. */
export const refusal = (request: OrderRequest, rejectReason: string): Order => ({
  ...request,
  status: 'rejected',
  submittedAt: '',
  filledQty: 0,
  filledAvgPrice: null,
  filledDate: null,
  commission: 0,
  rejectReason,
});

/** The broker's methods bound to it, to override one. */
export const delegate = (broker: Broker): Broker => ({
  getAccount: () => broker.getAccount(),
  getLiveEquity: () => broker.getLiveEquity(),
  untradable: (symbols) => broker.untradable(symbols),
  getPositions: () => broker.getPositions(),
  getOrder: (id) => broker.getOrder(id),
  submitOrder: (r) => broker.submitOrder(r),
  cancelOrder: (id) => broker.cancelOrder(id),
});

/** The steps' dependencies over a generated market: a simulated venue and in-memory state. */
export function wire(
  history: MarketHistory,
  Venue: typeof CountingBroker = CountingBroker,
  settings: TradingConfig = stepConfig,
) {
  const marketData = new HistoryMarketData(history);
  const broker = new Venue(marketData, settings.initialCapital, settings.costs);
  const store = new InMemoryStateStore();
  const clock = new SimulatedClock();
  const deps: StepDeps = {
    config: settings,
    marketData,
    broker,
    venue: broker,
    calendar: new HistoryCalendar(history.dates),
    store,
    mailer: null,
    clock,
    news: null,
    sentiment: null,
  };
  return { deps, broker, store, clock };
}
