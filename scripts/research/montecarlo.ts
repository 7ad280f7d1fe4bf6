/**
 * npm run montecarlo -- [--from D] [--to D] [--runs N] [--seed S] [--threshold F] [--data DIR]
 *                       [--config FILE] [--out DIR]
 * Backtests the period once, then bootstraps its daily returns and its trades (with replacement)
 * and reshuffles the trade order: distributions of the final return and the max drawdown, and the
 * probability of a drawdown beyond the threshold. Writes montecarlo.json and runs.csv.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { runBacktest } from '../../shared/backtest/engine.js';
import { csvChunks, csvNumber } from '../../shared/backtest/output-files.js';
import { ConfigError } from '../../shared/domain/errors.js';
import { dailyReturns } from '../../shared/domain/metrics/index.js';
import { MAX_SEED } from '../../shared/domain/numeric/random.js';
import { type Distribution, monteCarlo } from '../../shared/research/monte-carlo.js';
import { runCli } from '../cli.js';
import { loadConfig } from '../run-files.js';
import { BACKTEST_OPTIONS, outFolder, positiveInt } from './common.js';

const USAGE =
  'usage: npm run montecarlo -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--runs N] [--seed S] [--threshold 0.2] [--data DIR] [--config FILE] [--out DIR]';

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const row = (d: Distribution) =>
  `p5 ${pct(d.p5)}  p50 ${pct(d.p50)}  p95 ${pct(d.p95)}  mean ${pct(d.mean)}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: '2018-01-01' },
      to: { type: 'string' },
      runs: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      threshold: { type: 'string', default: '0.2' },
      ...BACKTEST_OPTIONS,
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const runs = positiveInt('runs', values.runs)!;
  const seed = Number(values.seed);
  const threshold = Number(values.threshold);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new ConfigError(`--seed ${values.seed}: expected an integer from 0 to ${MAX_SEED}`);
  if (!(threshold > 0 && threshold < 1))
    throw new ConfigError(`--threshold ${values.threshold}: expected a fraction in (0, 1)`);
  const config = await loadConfig(values.config);
  const history = await loadDataFolder(values.data);
  const run = await runBacktest(history, config, {
    from: values.from,
    ...(values.to !== undefined && { to: values.to }),
  });
  const equity = Float64Array.from(run.days, (d) => d.equity);
  const report = monteCarlo({
    initialCapital: config.initialCapital,
    dailyReturns: dailyReturns(equity, config.initialCapital),
    tradePnl: Float64Array.from(run.trades, (t) => t.pnl),
    runs,
    seed,
    threshold,
  });

  const out = outFolder(values.out, 'montecarlo');
  await mkdir(out, { recursive: true });
  const methods = ['dailyBootstrap', 'tradeBootstrap', 'tradeShuffle'] as const;
  const json = {
    period: run.period,
    runs,
    seed,
    threshold,
    days: run.days.length,
    trades: run.trades.length,
    observed: report.observed,
    ...Object.fromEntries(
      methods.map((m) => {
        const { samples: _, ...kept } = report[m];
        return [m, kept];
      }),
    ),
  };
  await writeFile(join(out, 'montecarlo.json'), `${JSON.stringify(json, null, 2)}\n`);
  const header = ['run', ...methods.flatMap((m) => [`${m}_final_return`, `${m}_max_drawdown`])];
  const lines = csvChunks(
    header,
    Array.from({ length: runs }, (_, r) => r),
    (r) =>
      [
        String(r),
        ...methods.flatMap((m) => [
          csvNumber(report[m].samples.finalReturn[r]!),
          csvNumber(report[m].samples.maxDrawdown[r]!),
        ]),
      ].join(','),
  );
  await writeFile(join(out, 'runs.csv'), lines);

  console.log(
    `montecarlo ${run.period.from} .. ${run.period.to}: ${run.days.length} days, ` +
      `${run.trades.length} trades, ${runs} runs, seed ${seed}`,
  );
  console.log(
    `observed: final return ${pct(report.observed.finalReturn)}, max drawdown ${pct(report.observed.maxDrawdown)}`,
  );
  for (const m of methods) {
    const r = report[m];
    console.log(
      `${m}\n  final return  ${row(r.finalReturn)}\n  max drawdown  ${row(r.maxDrawdown)}`,
    );
    console.log(`  P(max drawdown > ${pct(threshold)}) = ${pct(r.drawdownBeyond)}`);
  }
  console.log(`wrote montecarlo.json, runs.csv to ${out}`);
}

runCli('montecarlo', USAGE, main);
