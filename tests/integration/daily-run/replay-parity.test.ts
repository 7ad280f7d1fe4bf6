import { afterAll, describe, expect, it } from 'vitest';
import { replayDates } from '../../../scripts/local/replay-run.js';
import type { LocalWorkflow } from '../../../scripts/local/workflow.js';
import { loadDataFolder } from '../../../shared/adapters/data-folder.js';
import { readRun, resolvePeriod, runBacktest } from '../../../shared/backtest/engine.js';
import { backtestFiles } from '../../../shared/backtest/output-files.js';
import { summarise } from '../../../shared/backtest/summary.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { freshWorkflow } from './support.js';

const FROM = '2023-06-01';
const TO = '2023-06-16';
let workflow: LocalWorkflow | undefined;
afterAll(async () => {
  await workflow?.close();
});

const texts = (files: Record<string, Iterable<string>>) =>
  Object.fromEntries(Object.entries(files).map(([name, chunks]) => [name, [...chunks].join('')]));

describe('replay equals the backtest', () => {
  it(`${FROM} .. ${TO}: summary.json, orders.csv, trades.csv and equity.csv, byte for byte`, async () => {
    const history = await loadDataFolder('data', { benchmark: 'none' });
    const config = parseConfig({});
    const backtest = await runBacktest(history, config, { from: FROM, to: TO });
    const period = resolvePeriod(history, FROM, TO);

    workflow = await freshWorkflow();
    await replayDates(workflow, history.dates.slice(period.first, period.last + 1));
    const replayed = await readRun(workflow.store, history, config, period);

    expect(backtest.orders.length).toBeGreaterThanOrEqual(20);
    expect(backtest.orders.filter((o) => o.status === 'filled').length).toBeGreaterThan(0);
    expect(backtest.trades.length).toBeGreaterThan(0);
    const expected = texts(backtestFiles(backtest, summarise(history, backtest)));
    expect(texts(backtestFiles(replayed, summarise(history, replayed)))).toEqual(expected);
  });
});
