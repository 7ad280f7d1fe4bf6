import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.js';
import { parseConfig } from '../../../shared/domain/config.js';
import { MarketDataUnavailableError } from '../../../shared/domain/errors.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import type { NewsSource } from '../../../shared/ports/index.js';
import type { SentimentScorer } from '../../../shared/steps/types.js';
import { generateMarket } from '../../support/market-generator.js';

let market: MarketHistory;
beforeAll(() => {
  market = generateMarket({ symbols: 6, days: 120, seed: 7 });
});

/** Headlines that never arrive, as Alpaca's news API past the client's retries; counts the asks. */
class DownNews implements NewsSource {
  calls = 0;
  async headlines(): Promise<never> {
    this.calls += 1;
    throw new MarketDataUnavailableError('Alpaca GET /v1beta1/news: 500 internal server error');
  }
}

const scorer: SentimentScorer = { compound: () => 0.5 };
const FAILED =
  'strategy news-sentiment failed: news unavailable: MarketDataUnavailableError: Alpaca GET /v1beta1/news: 500 internal server error';

// Regime thresholds that put every day in one regime, whatever the VIX
const EVERY_DAY = {
  normal: { lowBelow: 1e-6, highAbove: 1e6 },
  high: { lowBelow: 1e-6, highAbove: 1e-6, disabledInHighVol: ['news-sentiment'] },
} as const;

describe('generate-signals when the news cannot be read', () => {
  it('says news-sentiment failed each day, and the other strategies go on', async () => {
    // Prepare
    const news = new DownNews();
    const config = parseConfig({
      strategies: { enabled: ['news-sentiment', 'rsi-mean-reversion', 'ma-crossover'] },
      regime: EVERY_DAY.normal,
    });
    // Act
    const run = await runBacktest(market, config, {
      from: market.dates[60]!,
      news,
      sentiment: scorer,
    });
    // Assess: a day without news, not a deploy without a news source
    expect(news.calls).toBe(run.days.length);
    for (const day of run.days) {
      expect(day.alerts).toContain(FAILED);
      expect(day.inactiveStrategies['news-sentiment']).toBeUndefined();
    }
    expect(run.trades.some((trade) => trade.strategy === 'news-sentiment')).toBe(false);
    expect(run.orders.length).toBeGreaterThan(0);
  });

  it('keeps a regime that switched it off said as that, beside the failure', async () => {
    // Act
    const run = await runBacktest(
      market,
      parseConfig({
        strategies: { enabled: ['news-sentiment', 'rsi-mean-reversion'] },
        regime: EVERY_DAY.high,
      }),
      { from: market.dates[100]!, news: new DownNews(), sentiment: scorer },
    );
    // Assess
    for (const day of run.days) {
      expect(day.inactiveStrategies['news-sentiment']).toBe('off in the high volatility regime');
      expect(day.alerts).toContain(FAILED);
    }
  });

  it('asks for no news when news-sentiment is neither enabled nor holding a lot', async () => {
    // Prepare
    const news = new DownNews();
    // Act
    const run = await runBacktest(
      market,
      parseConfig({ strategies: { enabled: ['rsi-mean-reversion'] } }),
      { from: market.dates[100]!, news, sentiment: scorer },
    );
    // Assess
    expect(news.calls).toBe(0);
    for (const day of run.days) expect(day.alerts.join()).not.toContain('news-sentiment');
  });
});
