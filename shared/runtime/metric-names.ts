/**
 * The CloudWatch metrics the daily run and the equity probe publish (as EMF), defined once: the
 * circuit-breaker and run alarms of the infrastructure import these names.
 */
export const METRICS_NAMESPACE = 'TradingBot';
export const SERVICE_NAME = 'daily-run';

export const METRIC = {
  /** Account equity, dollars: at the close (the report) and through the session (the equity probe) */
  equity: 'Equity',
  /**
   * The day's change of equity against the previous close, percent: the daily-loss alarm's
   * metric, from the report after the close and the equity probe during the session
   */
  dailyReturnPercent: 'DailyReturnPercent',
  /** Market value of the open lots over equity, percent */
  heatPercent: 'HeatPercent',
  drawdownPercent: 'DrawdownPercent',
  ordersSent: 'OrdersSent',
  ordersRejected: 'OrdersRejected',
  /** 1 when a date's run completed, a market-closed one too: the "no successful run" alarm's metric */
  runSucceeded: 'RunSucceeded',
  runFailed: 'RunFailed',
} as const;
