/**
 * npm run stress -- [--data DIR] [--config FILE] [--strategies id,id] [--out DIR]
 * Backtests the 2018 Q4 correction, the 2020 COVID crash and the 2022 bear market: days in each
 * trading state and regime, peak heat, drawdown against equal-weight buy-and-hold, and each
 * period's backtest files and tearsheet in a folder of its own.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { runBacktest } from '../../shared/backtest/engine.js';
import { summarise } from '../../shared/backtest/summary.js';
import { STRESS_PERIODS, type StressResult, stressResult } from '../../shared/research/stress.js';
import { runCli } from '../cli.js';
import { loadConfig, RUN_FILES, writeRunFiles } from '../run-files.js';
import { BACKTEST_OPTIONS, outFolder } from './common.js';

const USAGE =
  'usage: npm run stress -- [--data DIR] [--config FILE] [--strategies id,id] [--out DIR]';

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...BACKTEST_OPTIONS,
      strategies: { type: 'string' },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const config = await loadConfig(values.config, values.strategies);
  const benchmark = config.metrics.benchmark === 'equal-weight' ? 'none' : config.metrics.benchmark;
  const history = await loadDataFolder(values.data, { benchmark });
  const out = outFolder(values.out, 'stress');

  const results: StressResult[] = [];
  for (const period of STRESS_PERIODS) {
    const run = await runBacktest(history, config, period);
    const summary = summarise(history, run);
    await writeRunFiles(join(out, period.name), history, run, summary);
    results.push(stressResult(period.name, history, run, summary));
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'stress.json'), `${JSON.stringify(results, null, 2)}\n`);

  for (const r of results) {
    console.log(
      `${r.name} (${r.from} .. ${r.to}, ${r.days} days): return ${pct(r.totalReturn)}, ` +
        `max drawdown ${pct(r.maxDrawdown)} against buy-and-hold ${pct(r.buyAndHoldReturn)}, ` +
        `${pct(r.buyAndHoldMaxDrawdown)}`,
    );
    console.log(
      `  days REDUCING ${r.daysByState.REDUCING}, HALTED ${r.daysByState.HALTED}; regime low ` +
        `${r.daysByRegime.low}, normal ${r.daysByRegime.normal}, high ${r.daysByRegime.high}; ` +
        `peak heat ${pct(r.peakHeat)} (${pct(r.peakHeatOfCap)} of its cap); ${r.trades} trades`,
    );
  }
  console.log(`\nwrote stress.json to ${out}`);
  console.log(`wrote ${RUN_FILES} to ${STRESS_PERIODS.map((p) => join(out, p.name)).join(', ')}`);
}

runCli('stress', USAGE, main);
