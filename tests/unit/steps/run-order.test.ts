import { describe, expect, it } from 'vitest';
import { runKey, VENUE_OPENED_KEY } from '../../../shared/ports/index.js';
import { checkCalendar } from '../../../shared/steps/check-calendar.js';
import { RunRecordSchema, VenueOpenedSchema } from '../../../shared/steps/documents.js';
import { pipeline } from '../../../shared/steps/pipeline.js';
import { finishRun } from '../../../shared/steps/run-record.js';
import type { RunState } from '../../../shared/steps/types.js';
import { generateMarket } from '../../support/market-generator.js';
import { wire } from '../../support/step-wiring.js';

const history = generateMarket({ symbols: 12, days: 340, seed: 5 });
const dates = history.dates.slice(320);

/** A bot over the generated market: each run through check-calendar and the steps, or up to one. */
function bot() {
  const wired = wire(history);
  const { deps, clock, store } = wired;
  const steps = pipeline(deps);
  let runs = 0;
  const run = async (date: string, failAfter?: string): Promise<RunState> => {
    clock.setTradingDate(date);
    const runId = `run-${date}-${++runs}`;
    let state = await checkCalendar(deps)({ tradingDate: date, runId });
    const failed = () =>
      finishRun(store, date, runId, { status: 'failed', error: 'test', now: clock.now() });
    for (const step of steps) {
      // As the workflow's Catch does: a step that throws ends the run failed
      state = await step.run(state).catch(async (error: unknown) => {
        await failed();
        throw error;
      });
      if (step.name === failAfter) {
        await failed();
        return state;
      }
    }
    return state;
  };
  return { ...wired, run };
}

describe('the order of trading dates', () => {
  it('refuses an earlier date once a later run opened the venue, and leaves no record of it', async () => {
    const { run, store, broker } = bot();
    const [d0, d1, d2, d3] = dates as [string, string, string, string];
    await run(d0);
    await run(d1);
    // d2 is missed; d3 opens the venue through d3 (backfilling d2) and fails
    await run(d3, 'fetch-data');
    expect(broker.lastSession).toBe(d3);

    await expect(run(d2)).rejects.toThrow(
      new RegExp(`the run of ${d3} .* opened the venue's sessions .*: ${d2} can no longer run`),
    );
    expect(await store.get(runKey(d2, 'record'), RunRecordSchema)).toBeUndefined();
    // d3 resumes and closes its day
    await run(d3);
    expect((await store.get(runKey(d3, 'record'), RunRecordSchema))?.value.status).toBe(
      'succeeded',
    );
  });

  it('refuses an earlier first run after a later first run journalled its orders', async () => {
    const { run } = bot();
    const [d0, d1] = dates as [string, string];
    await run(d1, 'execute-orders');
    await expect(run(d0)).rejects.toThrow(/can no longer run before it/);
  });

  it('refuses a date past an unfinished run before it opens the venue, so that run can resume', async () => {
    const { run, store, broker } = bot();
    const [d0, d1, d2] = dates as [string, string, string];
    await run(d0);
    await run(d1, 'detect-regime');
    await expect(run(d2)).rejects.toThrow(/the run of .* did not finish/);
    // The venue was not opened through d2, so d1's resume books nothing from after its close
    expect(broker.lastSession).toBe(d1);
    expect((await store.get(VENUE_OPENED_KEY, VenueOpenedSchema))?.value.tradingDate).toBe(d1);
    await run(d1);
    await run(d2);
    expect((await store.get(runKey(d2, 'record'), RunRecordSchema))?.value.status).toBe(
      'succeeded',
    );
  });
});
