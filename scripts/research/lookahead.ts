/**
 * npm run lookahead -- [--from D] [--cuts N] [--data DIR] [--config FILE] [--strategies id,id] [--out DIR]
 * For each strategy alone, its decisions on the full data against its decisions on the data cut
 * after each of N days spread over the period and N days it decided something: a strategy whose past decisions change is reported with the first
 * differing decision, and the command exits non-zero. Writes lookahead.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { resolvePeriod } from '../../shared/backtest/engine.js';
import { TradingError } from '../../shared/domain/errors.js';
import {
  type LookAheadResult,
  lookAhead,
  strategyDecisions,
} from '../../shared/research/look-ahead.js';
import { runCli } from '../cli.js';
import { loadConfig } from '../run-files.js';
import { BACKTEST_OPTIONS, outFolder, positiveInt, progress } from './common.js';

const USAGE =
  'usage: npm run lookahead -- [--from YYYY-MM-DD] [--cuts N] [--data DIR] [--config FILE] [--strategies id,id] [--out DIR]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: '2018-01-01' },
      cuts: { type: 'string', default: '8' },
      ...BACKTEST_OPTIONS,
      strategies: { type: 'string' },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const config = await loadConfig(values.config, values.strategies);
  const history = await loadDataFolder(values.data);
  const { first, last } = resolvePeriod(history, values.from);
  const plan = { first, last, count: positiveInt('cuts', values.cuts)! };
  const bar = await progress('lookahead', 'strategies');

  const results: Record<string, LookAheadResult> = {};
  for (const [i, id] of config.strategies.enabled.entries()) {
    results[id] = await lookAhead(history, strategyDecisions(config, id, values.from), plan);
    bar?.update(i + 1, config.strategies.enabled.length);
  }
  bar?.stop();
  const out = outFolder(values.out, 'lookahead');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'lookahead.json'), `${JSON.stringify(results, null, 2)}\n`);

  console.log(
    `lookahead: ${plan.count} cuts spread over ${history.dates[first]} .. ${history.dates[last]}, ` +
      `and ${plan.count} on days each strategy decided something`,
  );
  const leaks = Object.entries(results).filter(([, r]) => r.firstDifference !== null);
  for (const [id, r] of Object.entries(results)) {
    const d = r.firstDifference;
    console.log(
      d === null
        ? `  ${id}: pass (${r.decisions} decisions, ${r.cuts.length} cuts)`
        : `  ${id}: LOOKS AHEAD: cut after ${d.cut}, first differing decision ` +
            `${JSON.stringify(d.full)} on the full data, ${JSON.stringify(d.truncated)} cut`,
    );
  }
  console.log(`wrote lookahead.json to ${out}`);
  if (leaks.length > 0) throw new TradingError(`${leaks.map(([id]) => id).join(', ')} look ahead`);
}

runCli('lookahead', USAGE, main);
