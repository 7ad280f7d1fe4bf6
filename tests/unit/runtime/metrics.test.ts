import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '../../../shared/runtime/metric-names.js';
import type { RunState } from '../../../shared/steps/types.js';

// Metrics are read from the environment when the module loads: load it with metrics on
let lines: string[];
beforeEach(() => {
  vi.resetModules();
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    lines.push(String(line));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const emf = () =>
  lines
    .filter((line) => line.includes('_aws'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const reported: RunState = {
  tradingDate: '2023-06-16',
  runId: 'arn:aws:states:us-east-1:123456789012:execution:daily-run:2023-06-16',
  equity: 99_314.53,
  dailyReturn: -0.0069,
  heat: 0.3928,
  drawdown: 0.0069,
};

describe('the run metrics (EMF)', () => {
  it("publishes the report's numbers under the namespace the alarms use", async () => {
    const { publishMetrics } = await import('../../../shared/runtime/powertools.js');
    publishMetrics('report', reported);
    const [document] = emf();
    expect(document).toBeDefined();
    const directive = (document!._aws as { CloudWatchMetrics: { Namespace: string }[] })
      .CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(document![METRIC.equity]).toBe(99_314.53);
    expect(document![METRIC.dailyReturnPercent]).toBeCloseTo(-0.69, 10);
    expect(document![METRIC.runSucceeded]).toBe(1);
  });

  it('publishes a failure as RunFailed and nothing of a success', async () => {
    const { publishMetrics } = await import('../../../shared/runtime/powertools.js');
    publishMetrics('report', { ...reported, error: { Error: 'OrderRejectedError' } });
    const [document] = emf();
    expect(document![METRIC.runFailed]).toBe(1);
    expect(document![METRIC.runSucceeded]).toBeUndefined();
    expect(document![METRIC.equity]).toBeUndefined();
  });

  it("publishes a market-closed run as a success without the day's numbers", async () => {
    const { publishMetrics } = await import('../../../shared/runtime/powertools.js');
    publishMetrics('report', { tradingDate: '2023-07-04', runId: 'r', marketOpen: false });
    const [document] = emf();
    expect(document![METRIC.runSucceeded]).toBe(1);
    expect(document![METRIC.dailyReturnPercent]).toBeUndefined();
  });

  it('publishes nothing for a step that carries no metric', async () => {
    const { publishMetrics } = await import('../../../shared/runtime/powertools.js');
    publishMetrics('detect-regime', reported);
    expect(emf()).toEqual([]);
  });
});
