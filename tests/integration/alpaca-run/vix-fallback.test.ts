import { afterEach, describe, expect, it } from 'vitest';
import { firstError } from '../../../scripts/local/workflow.js';
import { runKey } from '../../../shared/ports/index.js';
import { DecisionsArtifactSchema } from '../../../shared/steps/documents.js';
import { type AlpacaRun, closed, openAlpacaRun, posts } from './support.js';

/**
 * The VIX on an Alpaca run comes from CBOE (its stand-in serves the shipped closes through a
 * date). Each download's newest close is remembered in the state bucket, so that a CBOE outage
 * falls back to it, flagged stale, within the stale limit; with nothing remembered the run stops.
 */
let run: AlpacaRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe('the VIX when CBOE is down', () => {
  it('stands in the close remembered from the last download, and the report says it is stale', async () => {
    // Prepare: a run on the 14th, when CBOE's file ends that day
    run = await openAlpacaRun({
      server: { date: '2023-06-14', at: '17:00' },
      vixThrough: '2023-06-14',
    });
    const first = await run.workflow.run('2023-06-14');
    expect(firstError(first)).toBeUndefined();
    const june14 = (await closed(run.workflow, '2023-06-14')).day;
    expect(june14.vixAsOf).toBeNull();
    // Act: CBOE fails every request of the next day's run
    run.cboe.failNext(1_000);
    run.server.advanceTo('2023-06-15', '17:00');
    const outcome = await run.workflow.run('2023-06-15');
    // Assess: the run traded on the 14th's close, and said so
    expect(firstError(outcome)).toBeUndefined();
    expect(outcome.status).toBe('succeeded');
    const { day, report } = await closed(run.workflow, '2023-06-15');
    expect(day.vix).toBe(june14.vix);
    expect(day.vixAsOf).toBe('2023-06-14');
    // One stale session is within the default limit: entries are decided as usual
    expect(day.vixStaleSessions).toBe(1);
    expect(report.alerts.join('\n')).toContain(
      "VIX stale: the day's close was unavailable (CBOE down or late), the regime read the close of 2023-06-14",
    );
  });

  it('refuses new entries once the stand-in is older than the config allows, and still runs exits', async () => {
    // Prepare: no stale session allowed
    run = await openAlpacaRun({
      server: { date: '2023-06-14', at: '17:00' },
      vixThrough: '2023-06-14',
      config: { risk: { maxStaleVixSessions: 0 } },
    });
    expect(firstError(await run.workflow.run('2023-06-14'))).toBeUndefined();
    run.cboe.failNext(1_000);
    run.server.advanceTo('2023-06-15', '17:00');
    // Act
    const outcome = await run.workflow.run('2023-06-15');
    // Assess: every entry refused for the VIX, and the run went on to its exits and report
    expect(firstError(outcome)).toBeUndefined();
    const { day } = await closed(run.workflow, '2023-06-15');
    expect(day.vixStaleSessions).toBe(1);
    const decisions =
      (await run.workflow.store.get(runKey('2023-06-15', 'decisions'), DecisionsArtifactSchema))
        ?.value.decisions ?? [];
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.every((d) => !d.approved && d.reason === 'STALE_VIX')).toBe(true);
    expect(outcome.steps.map((step) => step.state)).toContain('monitor-exits-task');
  });

  it('stops the run before any order when no close was ever remembered', async () => {
    // Prepare: a first run, and CBOE down
    run = await openAlpacaRun({ vixThrough: '2023-06-15' });
    run.cboe.failNext(1_000);
    // Act
    const outcome = await run.workflow.run('2023-06-15');
    // Assess
    expect(outcome.status).toBe('failed');
    expect(firstError(outcome)?.message).toMatch(/VIX: .* failed .* no remembered close stands in/);
    expect(posts(run.server)).toEqual([]);
  });
});
