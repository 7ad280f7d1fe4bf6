import type { Strategy, StrategyParams } from './strategy.js';
import { fmt, ruleExit, signalAt, timeExit } from './strategy.js';

/**
 * Buys an up-trending symbol on a positive day when its headlines score above the entry level;
 * exits when they turn negative or after maxHoldDays. Inactive without a news source: it never
 * invents sentiment.
 */
export function newsSentiment(params: StrategyParams<'news-sentiment'>): Strategy {
  return {
    id: 'news-sentiment',
    inactiveReason: (context) => (context.sentiment === null ? 'no news source configured' : null),
    entry(context, s) {
      if (context.sentiment === null) return null;
      const f = context.features;
      const sentiment = context.sentiment[s]!;
      const trending = f.close[s]! > f.trendSma[s]! && f.dailyReturn[s]! > 0;
      if (!(trending && sentiment > params.entryAbove)) return null;
      return signalAt(
        context,
        s,
        'news-sentiment',
        sentiment,
        `sentiment ${fmt(sentiment, 3)} > ${params.entryAbove}, close above SMA${params.trendPeriod}`,
      );
    },
    exit(lot, context, s, heldSessions) {
      const sentiment = context.sentiment?.[s] ?? Number.NaN;
      if (sentiment < params.exitBelow)
        return ruleExit(lot, `sentiment ${fmt(sentiment, 3)} < ${params.exitBelow}`);
      return timeExit(lot, heldSessions, params.maxHoldDays);
    },
  };
}
