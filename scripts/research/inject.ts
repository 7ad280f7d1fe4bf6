/**
 * npm run inject -- --signals SPEC | --generate N [--seed S] [--from D] [--to D] [--data DIR]
 *   [--config FILE] [--out DIR]
 * Validation mode: the signals of a research spec's inject section (its data, period and config
 * apply), or N drawn under a seed, go instead of the strategies' through the correlation filter,
 * sizing, the risk checks, execution and the exits; trace.csv says where each one ended (screened
 * out, rejected with its reason, not filled, open, or exited how), beside the run's backtest files
 * and tearsheet.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { resolvePeriod, runBacktest } from '../../shared/backtest/engine.js';
import { summarise } from '../../shared/backtest/summary.js';
import type { TradingConfig } from '../../shared/domain/config.js';
import { ConfigError } from '../../shared/domain/errors.js';
import type { MarketHistory } from '../../shared/domain/market/history.js';
import {
  checkSignals,
  generateInjectedSignals,
  injectionSteps,
  type Screened,
} from '../../shared/research/inject.js';
import { loadSpecHistory } from '../../shared/research/load.js';
import { configFor, type InjectedSignal } from '../../shared/research/spec.js';
import { outcomeCounts, traceCsv, traceSignals } from '../../shared/research/trace.js';
import { runCli } from '../cli.js';
import { loadConfig, RUN_FILES, writeRunFiles } from '../run-files.js';
import { outFolder, positiveInt, progress, readSpec } from './common.js';

const USAGE =
  'usage: npm run inject -- --signals SPEC | --generate N [--seed S] [--from D] [--to D] ' +
  '[--data DIR] [--config FILE] [--out DIR]';

// A generated run follows its last signal this long, as a spec's default does
const GENERATED_AFTER_LAST_SIGNAL = 60;

/** What to inject and under what: the spec's inject section, or signals drawn under a seed. */
interface Injection {
  readonly source: string;
  readonly config: TradingConfig;
  readonly history: MarketHistory;
  readonly signals: InjectedSignal[];
  readonly from: string;
  readonly to: string;
}

async function fromSpec(path: string): Promise<Injection> {
  const spec = await readSpec(path);
  if (spec.inject === undefined) throw new ConfigError(`${path}: inject: the spec has no signals`);
  const history = await loadSpecHistory(spec);
  const checked = checkSignals(spec.inject.signals, history, {
    afterLastSignal: spec.inject.afterLastSignal,
    period: spec.period,
  });
  return { source: path, config: configFor(spec, {}), history, ...checked };
}

interface GenerateOptions {
  readonly generate?: string;
  readonly seed: string;
  readonly from?: string;
  readonly to?: string;
  readonly data?: string;
  readonly config?: string;
}

async function generated(values: GenerateOptions): Promise<Injection> {
  const config = await loadConfig(values.config);
  const benchmark = config.metrics.benchmark === 'equal-weight' ? 'none' : config.metrics.benchmark;
  const history = await loadDataFolder(values.data ?? 'data', { benchmark });
  const { first, last } = resolvePeriod(history, values.from, values.to);
  const drawn = generateInjectedSignals({
    history,
    strategies: config.strategies.enabled,
    count: positiveInt('generate', values.generate)!,
    seed: Number(values.seed),
    first,
    last,
  });
  const checked = checkSignals(drawn, history, { afterLastSignal: GENERATED_AFTER_LAST_SIGNAL });
  return { source: `${drawn.length} generated (seed ${values.seed})`, config, history, ...checked };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      signals: { type: 'string' },
      generate: { type: 'string' },
      seed: { type: 'string', default: '1' },
      from: { type: 'string' },
      to: { type: 'string' },
      data: { type: 'string' },
      config: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  if ((values.signals === undefined) === (values.generate === undefined)) {
    throw new ConfigError('give exactly one of --signals SPEC and --generate N');
  }
  const { source, config, history, signals, from, to } =
    values.signals === undefined ? await generated(values) : await fromSpec(values.signals);
  // Map.groupBy would do, but Node 20 lacks it
  const byDate = new Map<string, InjectedSignal[]>();
  for (const signal of signals) {
    byDate.set(signal.date, [...(byDate.get(signal.date) ?? []), signal]);
  }
  const screened: Screened[] = [];

  const out = outFolder(values.out, 'inject');
  const bar = await progress('inject', 'days');
  const started = performance.now();
  const run = await runBacktest(history, config, {
    from,
    to,
    steps: injectionSteps(byDate, (s) => screened.push(s)),
    ...(bar && { onDay: bar.update }),
  });
  bar?.stop();
  const seconds = (performance.now() - started) / 1000;
  const rows = traceSignals(signals, screened, run);

  await writeRunFiles(out, history, run, summarise(history, run));
  await writeFile(join(out, 'trace.csv'), traceCsv(rows));
  console.log(
    `inject ${source}: ${signals.length} signals, ${run.period.from} .. ${run.period.to}, ` +
      `${run.days.length} days, ${seconds.toFixed(1)} s; every signal traced:`,
  );
  for (const [outcome, count] of outcomeCounts(rows)) {
    console.log(`  ${String(count).padStart(5)}  ${outcome}`);
  }
  console.log(`\nwrote trace.csv, ${RUN_FILES} to ${out}`);
}

runCli('inject', USAGE, main);
