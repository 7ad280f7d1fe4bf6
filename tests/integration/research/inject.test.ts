import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.js';
import { checkSignals, injectionSteps, type Screened } from '../../../shared/research/inject.js';
import { loadSpecHistory } from '../../../shared/research/load.js';
import { configFor, type InjectedSignal, parseSpec } from '../../../shared/research/spec.js';
import { type TraceRow, traceSignals } from '../../../shared/research/trace.js';
import { generatedDataFolder } from './generated-data.js';

const exec = promisify(execFile);
const inject = (args: string[]) =>
  exec(process.execPath, ['--import', 'tsx', 'scripts/research/inject.ts', ...args], {
    encoding: 'utf8',
  });

describe('the sample signals file on the shipped data', () => {
  let rows: TraceRow[];
  let fills: number;
  beforeAll(async () => {
    const spec = parseSpec(JSON.parse(await readFile('events/backtest/inject.json', 'utf8')));
    const history = await loadSpecHistory(spec);
    const { signals, from, to } = checkSignals(spec.inject!.signals, history, {
      afterLastSignal: spec.inject!.afterLastSignal,
      period: spec.period,
    });
    const byDate = new Map<string, InjectedSignal[]>();
    for (const s of signals) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
    const screened: Screened[] = [];
    const run = await runBacktest(history, configFor(spec, {}), {
      from,
      to,
      steps: injectionSteps(byDate, (s) => screened.push(s)),
    });
    rows = traceSignals(signals, screened, run);
    fills = run.orders.filter((o) => o.side === 'buy' && o.status === 'filled').length;
  });

  const outcomeOf = (date: string, symbol: string, strategy: string) =>
    rows.find((r) => r.date === date && r.symbol === symbol && r.strategy === strategy);

  it('traces every signal to one outcome, and only the injected ones entered', () => {
    expect(rows).toHaveLength(11);
    const filled = rows.filter((r) => r.fillDate !== null);
    // The strategies did not run: every filled entry of the run is an injected signal
    expect(filled).toHaveLength(fills);
    for (const row of filled) expect(['exited', 'open']).toContain(row.outcome);
  });

  it('says why each stopped signal stopped', () => {
    expect(outcomeOf('2019-03-01', 'AAPL', 'ma-crossover')).toMatchObject({
      outcome: 'filtered',
      reason: 'DUPLICATE_SYMBOL',
    });
    expect(outcomeOf('2019-03-01', 'CVX', 'ma-crossover')).toMatchObject({
      outcome: 'filtered',
      reason: 'CORRELATED',
      detail: expect.stringContaining('XOM'),
    });
    expect(outcomeOf('2019-03-05', 'AAPL', 'rsi-mean-reversion')).toMatchObject({
      outcome: 'already-held',
    });
    expect(outcomeOf('2019-06-03', 'HD', 'ml-momentum')).toMatchObject({
      outcome: 'risk-rejected',
      reason: 'MAX_HEAT',
      detail: expect.stringContaining('its share 0.2'),
    });
  });

  it('follows a filled signal to its exit at the next open after the decision', () => {
    const aapl = outcomeOf('2019-03-01', 'AAPL', 'rsi-mean-reversion')!;
    expect(aapl).toMatchObject({ outcome: 'exited', fillDate: '2019-03-04' });
    expect(['stop', 'time', 'target', 'strategy']).toContain(aapl.reason);
    expect(aapl.exitDate! > aapl.fillDate!).toBe(true);
  });
});

describe('npm run inject', () => {
  let work: string;
  let data: string;
  beforeAll(async () => {
    ({ work, data } = await generatedDataFolder());
  });

  it('traces generated signals the same way under the same seed', async () => {
    const args = ['--generate', '40', '--seed', '3', '--from', '2019-06-03', '--data', data];
    const one = join(work, 'inject-1');
    const { stdout } = await inject([...args, '--out', one]);
    await inject([...args, '--out', join(work, 'inject-2')]);

    const trace = await readFile(join(one, 'trace.csv'), 'utf8');
    expect(await readFile(join(work, 'inject-2', 'trace.csv'), 'utf8')).toBe(trace);
    const lines = trace.trim().split('\n');
    expect(lines[0]).toMatch(/^date,symbol,strategy,confidence,outcome,reason,/);
    expect(lines).toHaveLength(41);
    const counted = [...stdout.matchAll(/^\s+(\d+)\s+\S/gm)].map((m) => Number(m[1]));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(40);
    expect(stdout).toContain(`wrote trace.csv, summary.json`);
  });

  it('fails on a spec without signals, naming the field', async () => {
    const spec = join(work, 'no-signals.json');
    await writeFile(spec, JSON.stringify({ data }));
    const failure = await inject(['--signals', spec]).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/inject: the spec has no signals/);
  });

  it('asks for exactly one source of signals', async () => {
    const failure = await inject(['--data', data]).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/exactly one of --signals SPEC and --generate N/);
  });
});
