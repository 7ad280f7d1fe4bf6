import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RunState } from '../steps/types.js';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from './metric-names.js';

/** Structured JSON logs; each handler adds the trading date to every line. */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** EMF metrics, flushed at the end of each invocation. */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/**
 * Publishes the metrics a step's result carries: the run's numbers at report, orders at execution.
 * Steps that carry none publish nothing (Powertools would warn of an empty flush on every step).
 */
export function publishMetrics(step: string, state: RunState): void {
  addMetrics(step, state);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

function addMetrics(step: string, state: RunState): void {
  const counts = state.counts ?? {};
  if (step === 'execute-orders' || step === 'monitor-exits') {
    const sent = step === 'execute-orders' ? counts.entriesSent : counts.exitOrders;
    metrics.addMetric(METRIC.ordersSent, MetricUnit.Count, sent ?? 0);
  }
  if (step === 'execute-orders') {
    metrics.addMetric(METRIC.ordersRejected, MetricUnit.Count, counts.entriesRejected ?? 0);
  }
  if (step !== 'report') return;
  if (state.error !== undefined) {
    metrics.addMetric(METRIC.runFailed, MetricUnit.Count, 1);
    return;
  }
  // A closed market's run succeeds too: the "no successful run" alarm must stay quiet on holidays
  metrics.addMetric(METRIC.runSucceeded, MetricUnit.Count, 1);
  if (state.marketOpen !== false) {
    addEquity(state.equity, state.dailyReturn);
    if (state.heat !== undefined) {
      metrics.addMetric(METRIC.heatPercent, MetricUnit.Percent, state.heat * 100);
    }
    if (state.drawdown !== undefined) {
      metrics.addMetric(METRIC.drawdownPercent, MetricUnit.Percent, state.drawdown * 100);
    }
  }
}

// The report's close and the probe's intraday readings go to the same two metrics: the daily-loss
// alarm watches one DailyReturnPercent, whoever measured it
function addEquity(equity: number | undefined, dailyReturn: number | null | undefined): void {
  if (equity !== undefined) metrics.addMetric(METRIC.equity, MetricUnit.NoUnit, equity);
  if (typeof dailyReturn === 'number') {
    metrics.addMetric(METRIC.dailyReturnPercent, MetricUnit.Percent, dailyReturn * 100);
  }
}

/** Publishes an equity probe's reading: the live equity, and the day's return so far when known. */
export function publishEquityReading(reading: {
  readonly equity: number;
  readonly dailyReturn: number | null;
}): void {
  addEquity(reading.equity, reading.dailyReturn);
  metrics.publishStoredMetrics();
}
