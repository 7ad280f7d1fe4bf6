import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlpacaServerOptions } from '../../../scripts/local/alpaca-server/index.js';
import { firstError } from '../../../scripts/local/workflow.js';
import { runKey } from '../../../shared/ports/index.js';
import { SignalsArtifactSchema } from '../../../shared/steps/documents.js';
import { type AlpacaRun, closed, openAlpacaRun, posts } from './support.js';

/**
 * The calendar and the news on Alpaca, through the whole workflow: the real definition and
 * handlers, the SDK over HTTP to the local Alpaca server. 2023-06-15 is a Thursday the NYSE rules
 * open; the server's news fixture has one headline in the day's 24 hours before 16:15 ET (MSFT's
 * "Microsoft wins major cloud contract", 10:45 ET).
 */
const DATE = '2023-06-15';
const CALENDAR = { method: 'GET', path: '/v2/calendar' } as const;
const NEWS = { method: 'GET', path: '/v1beta1/news' } as const;

let run: AlpacaRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function open(server?: AlpacaServerOptions): Promise<AlpacaRun> {
  run = await openAlpacaRun(server ? { server } : {});
  return run;
}

const signalsOf = async (r: AlpacaRun) =>
  (await r.workflow.store.get(runKey(DATE, 'signals'), SignalsArtifactSchema))?.value;

/** The text of every email the run wrote to its outbox. */
async function emails(r: AlpacaRun): Promise<string> {
  const files = (await readdir(r.workflow.outboxDir)).filter((file) => file.endsWith('.html'));
  const texts = await Promise.all(
    files.map((f) => readFile(join(r.workflow.outboxDir, f), 'utf8')),
  );
  return texts.join('\n');
}

describe("Alpaca's calendar", () => {
  it('a weekday it closes (unscheduled) ends the run as market closed, sending nothing', async () => {
    // Prepare: the rules open the 15th; Alpaca's calendar does not list it
    const r = await open({ closures: [DATE] });
    // Act
    const outcome = await r.workflow.run(DATE);
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    expect(outcome.status).toBe('succeeded');
    expect(outcome.output).toMatchObject({
      marketOpen: false,
      closedReason: 'unscheduled closure',
    });
    expect(outcome.steps.map((step) => step.state)).toEqual([
      'check-calendar-task',
      'report-market-closed-task',
    ]);
    expect(r.server.requests(CALENDAR).length).toBeGreaterThan(0);
    expect(posts(r.server)).toEqual([]);
    expect(await emails(r)).toContain('unscheduled closure');
  });

  it('is the one fetch-data reads: a closure between two runs is no missed session to backfill', async () => {
    // Prepare: the rules would count the 15th as a session the bot missed
    const r = await open({ closures: [DATE], date: '2023-06-14' });
    expect(firstError(await r.workflow.run('2023-06-14'))).toBeUndefined();
    r.server.advanceTo('2023-06-16', '17:00');
    // Act
    const outcome = await r.workflow.run('2023-06-16');
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    const { day, report } = await closed(r.workflow, '2023-06-16');
    expect(day.backfilled).toEqual([]);
    expect(report.alerts.join()).not.toContain('backfilled');
  });

  it('a calendar that cannot be read fails the run after its retries, never "market closed"', async () => {
    // Prepare
    const r = await open();
    r.server.faults.failNext(1_000, { ...CALENDAR, status: 503 });
    // Act
    const outcome = await r.workflow.run(DATE);
    // Assess: the state machine retried the transient error, then the failure report said it
    expect(outcome.status).toBe('failed');
    const calendarSteps = outcome.steps.filter((step) => step.state === 'check-calendar-task');
    expect(calendarSteps.map((step) => step.error?.name)).toEqual(
      Array(4).fill('BrokerUnavailableError'),
    );
    expect(outcome.steps.at(-1)?.state).toBe('report-failure-task');
    expect(outcome.steps.some((step) => step.output?.marketOpen === false)).toBe(false);
    expect(posts(r.server)).toEqual([]);
  });
});

describe("Alpaca's news", () => {
  it("makes news-sentiment active: the day's signals carry each symbol's headline sentiment", async () => {
    // Prepare
    const r = await open();
    // Act
    const outcome = await r.workflow.run(DATE);
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    const signals = await signalsOf(r);
    const { report } = await closed(r.workflow, DATE);
    expect(signals?.sentiment).not.toBeNull();
    expect(signals?.inactive['news-sentiment']).toBeUndefined();
    expect(signals?.failed['news-sentiment']).toBeUndefined();
    expect(report.inactiveStrategies['news-sentiment']).toBeUndefined();
    const scored = signals?.sentiment?.filter((score) => score !== null) ?? [];
    // One headline in the window, MSFT's, and a positive one
    expect(scored).toHaveLength(1);
    expect(scored[0]).toBeGreaterThan(0.3);
    const [request] = r.server.requests(NEWS);
    expect(request?.query).toMatchObject({ start: '2023-06-14T20:15:00.000Z' });
  });

  it('failing past the retries: the run goes on, and the report says news-sentiment failed', async () => {
    // Prepare
    const r = await open();
    r.server.faults.failNext(1_000, { ...NEWS, status: 500 });
    // Act
    const outcome = await r.workflow.run(DATE);
    // Assess: no retry of the whole step for one input; the other strategies traded
    expect(firstError(outcome)).toBeUndefined();
    expect(outcome.status).toBe('succeeded');
    expect(
      outcome.steps.filter((step) => step.state === 'generate-signals-task').map((s) => s.error),
    ).toEqual([undefined]);
    expect(posts(r.server).length).toBeGreaterThan(0);
    const signals = await signalsOf(r);
    expect(signals?.sentiment).toBeNull();
    expect(signals?.inactive['news-sentiment']).toBeUndefined();
    const { report } = await closed(r.workflow, DATE);
    const alert = report.alerts.find((line) => line.startsWith('strategy news-sentiment failed'));
    expect(alert).toMatch(
      /^strategy news-sentiment failed: news unavailable: MarketDataUnavailableError: Alpaca GET \/v1beta1\/news: 500 /,
    );
    expect(await emails(r)).toContain('news-sentiment failed');
  });
});
