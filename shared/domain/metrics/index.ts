export { type Metrics, type MetricsInput, metricsFor } from './performance.js';
export { dailyReturns, drawdownSeries, equalWeightReturns } from './series.js';
export { type TradeStats, tradeStats } from './trade-stats.js';
