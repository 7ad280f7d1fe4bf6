import type { TradingConfig } from '../config.js';
import type { StrategyId } from '../model.js';
import { maCrossover } from './ma-crossover.js';
import { mlMomentum } from './ml-momentum.js';
import { newsSentiment } from './news-sentiment.js';
import { rsiMeanReversion } from './rsi-mean-reversion.js';
import type { Strategy } from './strategy.js';
import { volatilityBreakout } from './volatility-breakout.js';

export type { Strategy, StrategyContext } from './strategy.js';

/** Every strategy, configured, keyed by id. */
export function buildStrategies(config: TradingConfig): Record<StrategyId, Strategy> {
  const s = config.strategies;
  return {
    'rsi-mean-reversion': rsiMeanReversion(s['rsi-mean-reversion']),
    'ma-crossover': maCrossover(s['ma-crossover']),
    'ml-momentum': mlMomentum(s['ml-momentum']),
    'news-sentiment': newsSentiment(s['news-sentiment']),
    'volatility-breakout': volatilityBreakout(s['volatility-breakout']),
  };
}
