/**
 * node out/bench/rule-child.mjs market|ours|grademark
 * One rule-only backtest in a fresh process, so that its peak RSS can be read from outside;
 * `market` only generates the input, the baseline both others include.
 */
import { runBacktest } from '../../shared/backtest/engine.js';
import { generateMarket } from '../../tests/support/market-generator.js';
import { grademarkBars, RULE_ONLY, ruleOnlyConfig, runGrademark } from './backtests.js';

const mode = process.argv[2];
const market = generateMarket(RULE_ONLY);
const started = performance.now();
let trades = 0;
if (mode === 'ours') {
  trades = (await runBacktest(market, ruleOnlyConfig())).trades.length;
} else if (mode === 'grademark') {
  trades = runGrademark(grademarkBars(market));
} else if (mode !== 'market') {
  throw new Error(`usage: rule-child market|ours|grademark, got ${mode}`);
}
console.log(JSON.stringify({ mode, ms: performance.now() - started, trades }));
