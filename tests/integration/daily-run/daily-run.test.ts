import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalWorkflow, RunOutcome } from '../../../scripts/local/workflow.js';
import { firstError } from '../../../scripts/local/workflow.js';
import { runKey } from '../../../shared/ports/index.js';
import { ReportArtifactSchema, RunRecordSchema } from '../../../shared/steps/documents.js';
import type { RunState } from '../../../shared/steps/types.js';
import { freshWorkflow, journal, lambdaContext, outboxFiles, wiredVenue } from './support.js';

// One state folder for the file, days run in order as a deployed bot would run them
let workflow: LocalWorkflow;
const outcomes = new Map<string, RunOutcome>();
const venue = wiredVenue;
const runDay = async (date: string) => {
  const outcome = await workflow.run(date);
  outcomes.set(date, outcome);
  return outcome;
};

beforeAll(async () => {
  workflow = await freshWorkflow();
  for (const date of ['2023-06-15', '2023-06-16']) {
    expect((await runDay(date)).status).toBe('succeeded');
  }
});
afterAll(async () => {
  await workflow?.close();
});

describe('the daily run through the workflow definition', () => {
  it('visits check-calendar and the nine steps in order and writes the email', async () => {
    const states = outcomes.get('2023-06-16')!.steps.map((s) => s.state);
    expect(states).toEqual([
      'check-calendar-task',
      'fetch-data-task',
      'detect-regime-task',
      'generate-signals-task',
      'filter-correlation-task',
      'size-positions-task',
      'check-risk-task',
      'execute-orders-task',
      'monitor-exits-task',
      'report-task',
    ]);
    expect(await outboxFiles(workflow)).toEqual(
      expect.arrayContaining(['2023-06-16-daily.eml', '2023-06-16-daily.html']),
    );
    const record = await workflow.store.get(runKey('2023-06-16', 'record'), RunRecordSchema);
    expect(record?.value.status).toBe('succeeded');
  });

  it("draws the equity chart from the first run on, from the start's capital to its close", async () => {
    // The first run has one close: its curve starts at the close before, on the starting capital
    const first = await readFile(join(workflow.outboxDir, '2023-06-15-daily.eml'), 'utf8');
    expect(first).toMatch(/Content-Type: image\/png[\s\S]*Content-ID: <equity-chart>/);
    const html = await readFile(join(workflow.outboxDir, '2023-06-15-daily.html'), 'utf8');
    expect(html).toContain('alt="Chart: equity from $100,000.00 at the start, 2023-06-14 to');
  });

  it("carries the portfolio over: the 15th's entries fill at the 16th's open", async () => {
    const entries = (await journal(workflow)).filter(
      (r) => r.decisionDate === '2023-06-15' && r.intent === 'entry' && !r.riskRejected,
    );
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.venue).toMatchObject({ status: 'filled', filledDate: '2023-06-16' });
    }
    const first = await workflow.store.get('equity/2023-06-15', ReportArtifactSchema);
    const second = await workflow.store.get('equity/2023-06-16', ReportArtifactSchema);
    expect(first?.value.exposure).toBe(0);
    expect(second?.value.exposure).toBeGreaterThan(0);
  });

  it('a second start of a completed date sends nothing and says it already ran', async () => {
    const before = JSON.stringify((await venue()).allOrders());
    const emails = await outboxFiles(workflow);

    const again = await workflow.run('2023-06-16');

    expect(again.status).toBe('failed');
    expect(again.error?.name).toBe('RunAlreadyCompletedError');
    expect(firstError(again)?.message).toMatch(/already ran to completion/);
    expect(again.steps.map((s) => s.state)).toEqual(['check-calendar-task']);
    expect(JSON.stringify((await venue()).allOrders())).toBe(before);
    expect(await outboxFiles(workflow)).toEqual(emails);
  });

  it('each step invoked again with its own input changes nothing and sends nothing new', async () => {
    const outcome = outcomes.get('2023-06-16')!;
    const orders = JSON.stringify((await venue()).allOrders());
    const stored = JSON.stringify({
      journal: await journal(workflow),
      equity: (await workflow.store.list('equity', ReportArtifactSchema)).map((d) => d.value),
    });
    const emails = await outboxFiles(workflow);

    // A step's input is the previous task's output (check-calendar would refuse: the date is done)
    for (let i = 1; i < outcome.steps.length; i++) {
      const step = outcome.steps[i]!.state.replace(/-task$/, '');
      const { handler } = (await import(`../../../functions/${step}/handler.ts`)) as {
        handler: (event: unknown, context: unknown) => Promise<RunState>;
      };
      const input = outcome.steps[i - 1]!.output!;
      const output = await handler(input, lambdaContext(step));
      expect(output.counts).toEqual(outcome.steps[i]!.output!.counts);
    }

    expect(JSON.stringify((await venue()).allOrders())).toBe(orders);
    expect(
      JSON.stringify({
        journal: await journal(workflow),
        equity: (await workflow.store.list('equity', ReportArtifactSchema)).map((d) => d.value),
      }),
    ).toBe(stored);
    expect(await outboxFiles(workflow)).toEqual(emails);
  });

  it('ends a holiday cleanly with a market-closed report', async () => {
    const outcome = await runDay('2023-06-19');
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps.map((s) => s.state)).toEqual([
      'check-calendar-task',
      'report-market-closed-task',
    ]);
    expect(outcome.steps[0]!.output).toMatchObject({
      marketOpen: false,
      closedReason: 'Juneteenth National Independence Day',
    });
    expect(await outboxFiles(workflow)).toContain('2023-06-19-market-closed.eml');
  });

  it('two concurrent starts of one date: exactly one proceeds, the other is refused', async () => {
    const [a, b] = await Promise.all([workflow.run('2023-06-20'), workflow.run('2023-06-20')]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual(['failed', 'succeeded']);
    const refused = a.status === 'failed' ? a : b;
    expect(refused.error?.name).toBe('RunInProgressError');
    expect(refused.steps.map((s) => s.state)).toEqual(['check-calendar-task']);
    const decided = (await journal(workflow)).filter((r) => r.decisionDate === '2023-06-20');
    expect(new Set(decided.map((r) => r.clientOrderId)).size).toBe(decided.length);
    expect((await outboxFiles(workflow)).filter((f) => f.startsWith('2023-06-20'))).toEqual([
      '2023-06-20-daily.eml',
      '2023-06-20-daily.html',
    ]);
  });

  it('backfills a missed session into the indicators and says so', async () => {
    const outcome = await runDay('2023-06-22');
    expect(outcome.status).toBe('succeeded');
    const report = await workflow.store.get('equity/2023-06-22', ReportArtifactSchema);
    expect(report?.value.alerts).toContain(
      'missed sessions backfilled into the indicators without decisions: 2023-06-21',
    );
    expect(await workflow.store.get('equity/2023-06-21', ReportArtifactSchema)).toBeUndefined();
  });

  it('quarantines a symbol whose position differs at the broker, and trades the rest', async () => {
    // A hand-placed order at the venue, which fills at the next open
    await (await venue()).submitOrder({
      clientOrderId: 'placed-by-hand',
      symbol: 'AAPL',
      side: 'buy',
      qty: 3,
      type: 'market',
      intent: 'entry',
      timeInForce: 'day',
    });
    const outcome = await runDay('2023-06-23');
    expect(outcome.status).toBe('succeeded');
    const report = await workflow.store.get('equity/2023-06-23', ReportArtifactSchema);
    expect(report?.value.alerts).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AAPL quarantined .*books \d+, broker \d+/)]),
    );
    const decided = (await journal(workflow)).filter((r) => r.decisionDate === '2023-06-23');
    expect(decided.filter((r) => r.symbol === 'AAPL')).toEqual([]);
  });

  it('refuses a date the state has already passed, leaving no run record', async () => {
    const outcome = await workflow.run('2023-06-14');
    expect(outcome.status).toBe('failed');
    expect(firstError(outcome)?.name).toBe('RunOrderError');
    expect(await workflow.store.get(runKey('2023-06-14', 'record'), RunRecordSchema)).toBe(
      undefined,
    );
    expect(await outboxFiles(workflow)).toContain('2023-06-14-failure.eml');
  });

  it('an earlier date that completed is refused as already run, not as out of order', async () => {
    const outcome = await workflow.run('2023-06-15');
    expect(outcome.error?.name).toBe('RunAlreadyCompletedError');
  });

  it('rejects a malformed start naming the field', async () => {
    const outcome = await workflow.run('2023-02-30');
    expect(outcome.status).toBe('failed');
    expect(firstError(outcome)?.name).toBe('InvalidInputError');
    expect(firstError(outcome)?.message).toMatch(/input\.tradingDate/);
    expect(await outboxFiles(workflow)).toContain('2023-02-30-failure.eml');
  });
});
