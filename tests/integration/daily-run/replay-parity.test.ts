import { afterAll, describe, expect, it } from 'vitest';
import { replayDates, replayFiles } from '../../../scripts/local/replay-run.js';
import type { LocalWorkflow } from '../../../scripts/local/workflow.js';
import { loadDataFolder } from '../../../shared/adapters/data-folder.js';
import { resolvePeriod, runBacktest } from '../../../shared/backtest/engine.js';
import { equityCsv, ordersCsv } from '../../../shared/backtest/output-files.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { freshWorkflow } from './support.js';

const FROM = '2023-06-01';
const TO = '2023-06-16';
let workflow: LocalWorkflow | undefined;
afterAll(async () => {
  await workflow?.close();
});

describe('replay equals the backtest', () => {
  it(`${FROM} .. ${TO}: every order row and every equity row, byte for byte`, async () => {
    const history = await loadDataFolder('data', { benchmark: 'none' });
    const backtest = await runBacktest(history, parseConfig({}), { from: FROM, to: TO });
    const { first, last } = resolvePeriod(history, FROM, TO);

    workflow = await freshWorkflow();
    await replayDates(workflow, history.dates.slice(first, last + 1));
    const replayed = await replayFiles(workflow.store);

    expect(backtest.orders.length).toBeGreaterThanOrEqual(20);
    expect(backtest.orders.filter((o) => o.status === 'filled').length).toBeGreaterThan(0);
    expect(replayed['orders.csv']).toBe([...ordersCsv(backtest.orders)].join(''));
    expect(replayed['equity.csv']).toBe([...equityCsv(backtest.days)].join(''));
  });
});
