import { describe, expect, it } from 'vitest';
import { RulesCalendar } from '../../../shared/adapters/rules-calendar.js';
import {
  InMemoryStateStore,
  SimulatedClock,
} from '../../../shared/backtest/simulated/in-memory.js';
import { runKey } from '../../../shared/ports/index.js';
import { checkCalendar, MarketNotClosedError } from '../../../shared/steps/check-calendar.js';
import { RunRecordSchema } from '../../../shared/steps/documents.js';
import type { StepDeps } from '../../../shared/steps/types.js';

/** check-calendar on the NYSE rules, an empty store and a clock at `runTime` New York time. */
function startAt(date: string, runTime: string) {
  const store = new InMemoryStateStore();
  const clock = new SimulatedClock();
  clock.setTradingDate(date, runTime);
  const deps = { calendar: new RulesCalendar(), store, clock } as unknown as StepDeps;
  return { store, run: () => checkCalendar(deps)({ tradingDate: date, runId: 'test' }) };
}

describe('check-calendar, against the clock', () => {
  it.each([
    { date: '2023-06-15', runTime: '15:59', close: '16:00' },
    { date: '2023-06-15', runTime: '16:09', close: '16:00' },
    // The day after Thanksgiving closes at 13:00
    { date: '2023-11-24', runTime: '13:05', close: '13:00' },
  ])(
    'refuses $date at $runTime, before the close and its minutes, and claims nothing',
    async ({ date, runTime, close }) => {
      // Prepare
      const { store, run } = startAt(date, runTime);
      // Act
      const call = run();
      // Assess
      await expect(call).rejects.toBeInstanceOf(MarketNotClosedError);
      await expect(call).rejects.toThrow(`${date} closes at ${close} New York time`);
      expect(await store.get(runKey(date, 'record'), RunRecordSchema)).toBeUndefined();
    },
  );

  it.each([
    { date: '2023-06-15', runTime: '16:10' },
    { date: '2023-06-15', runTime: '16:15' },
    { date: '2023-11-24', runTime: '13:10' },
  ])('opens $date at $runTime and claims the date', async ({ date, runTime }) => {
    // Prepare
    const { store, run } = startAt(date, runTime);
    // Act
    const state = await run();
    // Assess
    expect(state).toMatchObject({ marketOpen: true, resumed: false });
    expect(await store.get(runKey(date, 'record'), RunRecordSchema)).toBeDefined();
  });

  it('ends a Saturday as a weekend whatever the time', async () => {
    // Act
    const state = await startAt('2023-06-17', '10:00').run();
    // Assess
    expect(state).toMatchObject({ marketOpen: false, closedReason: 'weekend' });
  });
});
