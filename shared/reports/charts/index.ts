// The chart module: pure functions from data to standalone SVG documents, one per chart. Inline
// them in HTML as they are, or turn one into PNG bytes with chartPng from './png.js' (kept out of
// this index so that drawing SVG never loads resvg)

export type { ChartOptions } from './common.js';
export { type EquityChartData, type EquityChartOptions, equityChart } from './equity.js';
export {
  type ExposureChartData,
  exposureChart,
  REGIME_COLORS,
  type RegimeName,
  STATE_COLORS,
  type TradingStateName,
} from './exposure.js';
export { formatCents, formatMoney, formatPercent, signed, signedMoney } from './format.js';
export {
  type MonthlyReturns,
  type MonthlyReturnsData,
  monthlyReturns,
  monthlyReturnsChart,
} from './monthly-returns.js';
export {
  gappedReturns,
  ROLLING_WINDOW,
  type RollingSharpeOptions,
  rollingSharpe,
  rollingSharpeChart,
} from './rolling-sharpe.js';
export {
  type ContributionChartData,
  type StrategyContribution,
  strategyContributionChart,
} from './strategy-contribution.js';
export { ChartRenderError, escapeXml, FONT_FAMILY } from './svg.js';
export {
  type TradeReturnsData,
  type TradeReturnsOptions,
  tradeReturnsChart,
} from './trade-returns.js';
export { type DrawdownFacts, drawdownFacts, underwaterChart } from './underwater.js';
