import { join } from 'node:path';
import { TradingError } from '../../shared/domain/errors.js';
import { label } from '../../shared/research/spec.js';
import { outputTimestamp } from '../cli.js';
import { runLocalBacktest } from '../local/backtest-workflow.js';
import { positiveInt, readSpec } from '../research/common.js';

/** `backtest`'s options, as the bot CLI parsed them. */
export interface BacktestOptions {
  readonly spec?: string;
  readonly shards?: string;
  readonly workers?: string;
  readonly out?: string;
}

/**
 * Runs a sweep through the backtest state machine locally (scripts/local/backtest-workflow.ts)
 * and says where the merged results are. Without --shards the spec document is the input, as
 * `aws stepfunctions start-execution --input file://SPEC` sends it, and the default shards apply.
 */
export async function backtest(options: BacktestOptions): Promise<string[]> {
  if (options.spec === undefined) throw new TradingError('backtest needs --spec FILE');
  const spec = await readSpec(options.spec);
  const shards = positiveInt('shards', options.shards);
  const workers = positiveInt('workers', options.workers);
  const out = options.out ?? join('out', `backtest-${outputTimestamp()}`);
  const { outcome, store, seconds } = await runLocalBacktest({
    spec,
    out,
    ...(shards !== undefined && { shards }),
    ...(workers !== undefined && { workers }),
  });
  return [
    `backtest ${outcome.name}: ${outcome.combinations} combinations in ${outcome.shards} shards ` +
      `(local state machine, ${seconds.toFixed(1)} s)`,
    `best: combination ${outcome.best.combination}: ${label(outcome.best)}`,
    `results:   ${store.pathOf(outcome.files.results)}`,
    `summary:   ${store.pathOf(outcome.files.summary)}`,
    `tearsheet: ${store.pathOf(outcome.files.tearsheet)}`,
    ...(outcome.email ? [`email:     ${outcome.email}`] : []),
  ];
}
