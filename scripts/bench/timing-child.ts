/**
 * node out/bench/timing-child.mjs engine|rule-ours|rule-grademark <budgetMs>
 * One timed backtest benchmark in a fresh process, its result as JSON on stdout. A backtest runs
 * in a process of its own in use, so it is timed in one: inside the bench process its garbage
 * collector would also be paying for the indicator benchmarks' arrays.
 */
import { generateMarket } from '../../tests/support/market-generator.js';
import { benchEngine, benchRuleOnly, RULE_ONLY } from './backtests.js';

const [mode, budget] = process.argv.slice(2);
const budgetMs = Number(budget);
if (!(budgetMs > 0)) throw new Error(`budgetMs must be a positive number, got ${budget}`);
if (mode === 'engine') {
  console.log(JSON.stringify(await benchEngine('data', budgetMs)));
} else if (mode === 'rule-ours' || mode === 'rule-grademark') {
  const contender = mode === 'rule-ours' ? 'ours' : 'grademark';
  console.log(JSON.stringify(await benchRuleOnly(generateMarket(RULE_ONLY), contender, budgetMs)));
} else {
  throw new Error(`usage: timing-child engine|rule-ours|rule-grademark <budgetMs>, got ${mode}`);
}
