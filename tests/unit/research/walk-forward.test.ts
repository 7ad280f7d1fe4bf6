import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../shared/research/spec.js';
import {
  addMonths,
  trainingTasks,
  walkForwardWindows,
} from '../../../shared/research/walk-forward.js';
import { weekdays } from '../../fixtures/calendar.js';

const dates = weekdays('2018-01-01', 1300); // About five years of weekdays

describe('walk-forward windows', () => {
  it.each([
    ['2020-01-31', 1, '2020-02-29'],
    ['2021-01-31', 1, '2021-02-28'],
    ['2020-11-15', 3, '2021-02-15'],
    ['2020-03-31', 12, '2021-03-31'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    { trainMonths: 12, testMonths: 6, stepMonths: 6 },
    { trainMonths: 24, testMonths: 3, stepMonths: 5 },
    { trainMonths: 7, testMonths: 1, stepMonths: 1 },
  ])('never lets a test window overlap its training window or another test window: %j', (wf) => {
    const spec = parseSpec({ walkForward: wf, period: { from: '2018-03-01' } });
    const windows = walkForwardWindows(spec, dates);
    expect(windows.length).toBeGreaterThan(1);
    for (const [i, w] of windows.entries()) {
      expect(w.train.from >= '2018-03-01').toBe(true);
      expect(w.train.from <= w.train.to && w.train.to < w.test.from).toBe(true);
      expect(w.test.from <= w.test.to && w.test.to <= dates.at(-1)!).toBe(true);
      // The test window starts the trading day after its training window ends
      expect(dates.indexOf(w.test.from)).toBe(dates.indexOf(w.train.to) + 1);
      const next = windows[i + 1];
      if (next) expect(w.test.to < next.test.from).toBe(true);
    }
  });

  it.each(['2018-01-29', '2018-01-31', '2018-03-02'])(
    'tests every day after the first training window once when the step is the test (from %s)',
    (from) => {
      // Prepare: a start late in a month, which adding months clamps to a short one on the way
      const spec = parseSpec({
        walkForward: { trainMonths: 12, testMonths: 1, stepMonths: 1 },
        period: { from },
      });
      // Act
      const windows = walkForwardWindows(spec, dates);
      // Assess: the test windows tile the dates from the first one on, no day missed or repeated
      const tested = windows.flatMap(({ test }) =>
        dates.filter((d) => d >= test.from && d <= test.to),
      );
      const first = dates.indexOf(windows[0]!.test.from);
      const last = dates.indexOf(windows.at(-1)!.test.to);
      expect(tested).toEqual(dates.slice(first, last + 1));
    },
  );

  it('trains every combination on every window, each task once', () => {
    const spec = parseSpec({
      walkForward: { trainMonths: 12, testMonths: 12, stepMonths: 12 },
      grid: { 'sizing.stopAtrMultiple': [2, 3], 'risk.maxPositions': [5, 10, 15] },
    });
    const windows = walkForwardWindows(spec, dates);
    const tasks = trainingTasks(spec, windows);
    expect(tasks.map((t) => t.index)).toEqual([...tasks.keys()]);
    expect(tasks).toHaveLength(windows.length * 6);
    expect(tasks.filter((t) => t.from === windows[1]!.train.from)).toHaveLength(6);
  });

  it('fails when the period holds no whole window', () => {
    const spec = parseSpec({ walkForward: { trainMonths: 60, testMonths: 6, stepMonths: 6 } });
    expect(() => walkForwardWindows(spec, dates)).toThrow(/shorter than one training window/);
  });
});
