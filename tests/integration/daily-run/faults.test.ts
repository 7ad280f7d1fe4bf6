import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorkflow } from '../../../scripts/local/workflow.js';
import { firstError } from '../../../scripts/local/workflow.js';
import type { OrderRequest } from '../../../shared/ports/index.js';
import { runKey } from '../../../shared/ports/index.js';
import { wired } from '../../../shared/runtime/handler.js';
import { market } from '../../../shared/runtime/market.js';
import {
  DayArtifactSchema,
  PortfolioSchema,
  ReportArtifactSchema,
  RunRecordSchema,
} from '../../../shared/steps/documents.js';
import { setTradingState } from '../../../shared/steps/halt.js';
import { freshWorkflow, journal, outboxFiles, wiredVenue } from './support.js';

let open: LocalWorkflow | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/**
 * The local venue, counting what reaches it, killed mid-step at its third entry order (the first
 * day approves four); `revive` lets every later order through.
 */
async function venueKilledAfterTwoEntries() {
  const broker = await wiredVenue();
  const submit = broker.submitOrder.bind(broker);
  const submitted: string[] = [];
  let alive = false;
  broker.submitOrder = async (request: OrderRequest) => {
    if (!alive && request.intent === 'entry' && submitted.length === 2) {
      throw new Error('the Lambda was killed mid-step');
    }
    submitted.push(request.clientOrderId);
    return submit(request);
  };
  return {
    broker,
    submitted,
    revive: () => {
      alive = true;
    },
  };
}

describe('faults, through the workflow definition', () => {
  it('a crash after k of n entry orders, then a restart: the rest are sent once, none twice', async () => {
    const workflow = await freshWorkflow();
    open = workflow;
    const { broker, submitted, revive } = await venueKilledAfterTwoEntries();

    const crashed = await workflow.run('2023-06-15');
    expect(crashed.status).toBe('failed');
    expect(firstError(crashed)?.message).toBe('the Lambda was killed mid-step');
    const record = await workflow.store.get(runKey('2023-06-15', 'record'), RunRecordSchema);
    expect(record?.value.status).toBe('failed');
    const entries = async () =>
      (await journal(workflow)).filter(
        (r) => r.decisionDate === '2023-06-15' && r.intent === 'entry' && !r.riskRejected,
      );
    // Journalled before it is sent: the third entry is on record, though it never reached the venue
    expect((await entries()).map((r) => r.venue?.status ?? 'not sent').sort()).toEqual([
      'not sent',
      'open',
      'open',
    ]);

    revive();
    // The next date must not trade past the unfinished one
    const next = await workflow.run('2023-06-16');
    expect(firstError(next)?.name).toBe('UnfinishedRunError');
    expect(submitted).toHaveLength(2);

    const resumed = await workflow.run('2023-06-15');
    expect(resumed.status).toBe('succeeded');
    expect(resumed.steps[0]!.output).toMatchObject({ resumed: true });

    // Every approved entry reached the venue exactly once
    const decided = await entries();
    expect(decided.length).toBeGreaterThan(2);
    expect([...submitted].sort()).toEqual(decided.map((r) => r.clientOrderId).sort());
    const atVenue = broker.allOrders().filter((o) => o.clientOrderId.startsWith('2023-06-15'));
    expect(atVenue.filter((o) => o.intent === 'entry')).toHaveLength(decided.length);
    expect(await outboxFiles(workflow)).toEqual(
      expect.arrayContaining(['2023-06-15-failure.eml', '2023-06-15-daily.eml']),
    );
  });

  it('a crash after k of n entries, a halt, then a restart: the k stay in the books, no other is sent', async () => {
    const workflow = await freshWorkflow();
    open = workflow;
    const { submitted, revive } = await venueKilledAfterTwoEntries();
    expect((await workflow.run('2023-06-15')).status).toBe('failed');
    // The alarm on the failed run halts trading before anyone resumes it
    await setTradingState(workflow.store, {
      state: 'HALTED',
      by: 'circuit-breaker alarm',
      at: '2023-06-15T20:20:00.000Z',
      reason: 'the daily run failed',
    });
    revive();

    const resumed = await workflow.run('2023-06-15');

    expect(resumed.status).toBe('succeeded');
    expect(submitted).toHaveLength(2);
    const working = await workflow.store.get(
      runKey('2023-06-15', 'working-portfolio'),
      PortfolioSchema,
    );
    const pendingEntries = working!.value.pending.filter((p) => p.intent === 'entry');
    expect(pendingEntries.map((p) => p.clientOrderId).sort()).toEqual([...submitted].sort());
    const report = await workflow.store.get('equity/2023-06-15', ReportArtifactSchema);
    expect(report?.value.tradingState).toBe('HALTED');
    for (const id of submitted) {
      expect(report?.value.alerts).toEqual(
        expect.arrayContaining([expect.stringContaining(`${id} kept`)]),
      );
    }
  });

  it('a local run killed mid-way is resumed by the next start of its date', async () => {
    const workflow = await freshWorkflow();
    open = workflow;
    // What a killed process leaves: a claim that no execution holds any more
    await workflow.store.put(
      runKey('2023-06-15', 'record'),
      {
        tradingDate: '2023-06-15',
        status: 'running',
        runId: 'arn:aws:states:us-east-1:123456789012:execution:daily-run:killed',
        startedAt: '2023-06-15T20:15:00.000Z',
        leaseUntil: '2023-06-15T21:00:00.000Z',
        finishedAt: null,
        previousRuns: [],
        error: null,
      },
      null,
    );

    const outcome = await workflow.run('2023-06-15');

    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[0]!.output).toMatchObject({ resumed: true });
    const record = await workflow.store.get(runKey('2023-06-15', 'record'), RunRecordSchema);
    expect(record?.value.previousRuns).toEqual([
      {
        runId: 'arn:aws:states:us-east-1:123456789012:execution:daily-run:killed',
        status: 'failed',
      },
    ]);
  });

  it('a config that changes what the stored market state means is refused: rebuild it', async () => {
    const first = await freshWorkflow();
    const day = await first.run('2023-06-15');
    expect(firstError(day)).toBeUndefined();
    await first.close();
    const configFile = join(first.stateDir, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({ strategies: { 'rsi-mean-reversion': { period: 10 } } }),
    );
    const second = await freshWorkflow({ stateDir: first.stateDir, configFile });
    open = second;

    const outcome = await second.run('2023-06-16');

    expect(outcome.status).toBe('failed');
    expect(firstError(outcome)?.name).toBe('StateMismatchError');
    expect(firstError(outcome)?.message).toMatch(/indicators\.rsi: 14 → 10.*rebuild the state/);
    expect(outcome.steps.map((s) => s.state)).not.toContain('execute-orders-task');
  });

  it('a corrupt bar stops the run before anything is sent, naming file and line', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'corrupt-data-'));
    await cp('data', dataDir, { recursive: true });
    const prices = join(dataDir, 'prices', 'daily.csv');
    const lines = (await readFile(prices, 'utf8')).split('\n');
    const bad = lines.findIndex((line) => line.startsWith('2023-06-16,AAPL,'));
    lines[bad] = '2023-06-16,AAPL,186.729996,186.990005,184.270004,NaN,101235600,184.192612';
    await writeFile(prices, lines.join('\n'));
    const workflow = await freshWorkflow({ dataDir });
    open = workflow;

    const outcome = await workflow.run('2023-06-16');

    expect(outcome.status).toBe('failed');
    expect(firstError(outcome)?.name).toBe('DataValidationError');
    expect(firstError(outcome)?.message).toContain(`daily.csv:${bad + 1}`);
    expect(await journal(workflow)).toEqual([]);
  });
});

describe('a symbol without a bar', () => {
  it('is quarantined for the day with its close carried forward; the rest trade, and it is back the next day', async () => {
    // Prepare: a day of entries, then the market data loses one held symbol's bar of the 16th
    const workflow = await freshWorkflow();
    open = workflow;
    expect((await workflow.run('2023-06-15')).status).toBe('succeeded');
    const entries = (await journal(workflow)).filter(
      (r) => r.intent === 'entry' && !r.riskRejected,
    );
    const held = entries[0]!.symbol;
    const { marketData } = await (await wired()).use(market);
    const dayBars = marketData.dayBars.bind(marketData);
    marketData.dayBars = async (date) => {
      const day = await dayBars(date);
      if (date !== '2023-06-16') return day;
      // Copies: the bars are views into the history the simulated venue fills against
      const s = day.symbols.indexOf(held);
      const blank = (row: Float64Array) => Object.assign(row.slice(), { [s]: Number.NaN });
      return {
        ...day,
        open: blank(day.open),
        high: blank(day.high),
        low: blank(day.low),
        close: blank(day.close),
        volume: blank(day.volume),
        missing: [held],
      };
    };

    // Act
    const outcome = await workflow.run('2023-06-16');

    // Assess: the day ran, the symbol sat out, and the report says why
    expect(outcome.status).toBe('succeeded');
    const day = await workflow.store.get(runKey('2023-06-16', 'day'), DayArtifactSchema);
    expect(day?.value.quarantined).toContainEqual({
      symbol: held,
      reason: 'no bar for 2023-06-16: its last close was carried forward',
    });
    expect(day?.value.carriedForward).toEqual([{ symbol: held, dates: ['2023-06-16'] }]);
    const report = await workflow.store.get('equity/2023-06-16', ReportArtifactSchema);
    expect(report?.value.alerts).toContain(
      `${held} quarantined (no entry, no exit today): no bar for 2023-06-16: its last close was carried forward`,
    );
    const decided = (await journal(workflow)).filter((r) => r.decisionDate === '2023-06-16');
    expect(decided.filter((r) => r.symbol === held)).toEqual([]);
    // Its lot is still held, protected by its stop
    const portfolio = await workflow.store.get('portfolio/2023-06-16', PortfolioSchema);
    expect(portfolio?.value.lots.map((lot) => lot.symbol)).toContain(held);

    // Act: the next session's bars are whole again
    marketData.dayBars = dayBars;
    expect((await workflow.run('2023-06-20')).status).toBe('succeeded');
    const next = await workflow.store.get(runKey('2023-06-20', 'day'), DayArtifactSchema);
    expect(next?.value.quarantined.map((q) => q.symbol)).not.toContain(held);
    expect(next?.value.carriedForward).toEqual([]);
  });
});
