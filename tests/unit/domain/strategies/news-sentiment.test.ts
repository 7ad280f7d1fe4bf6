import { describe, expect, it } from 'vitest';
import { newsSentiment } from '../../../../shared/domain/strategies/news-sentiment.js';
import { aLot } from '../../../fixtures/builders.js';
import { aContext, aDay, defaults, expectSignalOf } from './support.js';

const strategy = newsSentiment(defaults.strategies['news-sentiment']);
// Close above its SMA20 on an up day
const trending = { close: 105, atr: 2, trendSma: 100, dailyReturn: 0.01 };

describe('news-sentiment without a news source', () => {
  const context = aContext(aDay(trending));

  it('is inactive and says why', () => {
    expect(strategy.inactiveReason(context)).toMatch(/news/);
  });

  it('never enters, whatever the prices do', () => {
    expect(strategy.entry(context, 0)).toBeNull();
  });

  it('still leaves a held lot on time', () => {
    const lot = aLot({ strategy: 'news-sentiment', symbol: 'AAA' });

    expect(strategy.exit(lot, context, 0, 9)).toBeNull();
    expect(strategy.exit(lot, context, 0, 10)).toMatchObject({ reason: 'time' });
  });
});

describe('news-sentiment entry', () => {
  it('is active with a news source, even one without headlines today', () => {
    expect(strategy.inactiveReason(aContext(aDay(trending), [Number.NaN]))).toBeNull();
  });

  it.each([
    { name: 'positive news on an up day above SMA20', day: {}, sentiment: 0.31, buys: true },
    { name: 'very positive news', day: {}, sentiment: 1, buys: true },
    { name: 'news at the entry level', day: {}, sentiment: 0.3, buys: false },
    { name: 'mildly positive news', day: {}, sentiment: 0.1, buys: false },
    { name: 'no headlines', day: {}, sentiment: Number.NaN, buys: false },
    { name: 'a close on its SMA20', day: { close: 100 }, sentiment: 0.8, buys: false },
    { name: 'a close below its SMA20', day: { close: 99 }, sentiment: 0.8, buys: false },
    { name: 'a flat day', day: { dailyReturn: 0 }, sentiment: 0.8, buys: false },
    { name: 'a down day', day: { dailyReturn: -0.02 }, sentiment: 0.8, buys: false },
    { name: 'no SMA20 yet', day: { trendSma: Number.NaN }, sentiment: 0.8, buys: false },
    { name: 'no return yet', day: { dailyReturn: Number.NaN }, sentiment: 0.8, buys: false },
  ])('$name buys: $buys', ({ day, sentiment, buys }) => {
    const features = aDay({ ...trending, ...day });

    const signal = strategy.entry(aContext(features, [sentiment]), 0);

    if (buys) expectSignalOf(signal, 'news-sentiment', features, 0);
    else expect(signal).toBeNull();
  });

  it('ranks by the sentiment and signals the close and ATR', () => {
    const features = aDay(trending);

    const signal = strategy.entry(aContext(features, [0.55]), 0);

    expectSignalOf(signal, 'news-sentiment', features, 0);
    expect(signal).toMatchObject({ confidence: 0.55, price: 105, atr: 2 });
  });

  it('reads the sentiment of the asked symbol', () => {
    const context = aContext(aDay(trending, trending), [0.1, 0.9]);

    expect(strategy.entry(context, 0)).toBeNull();
    expect(strategy.entry(context, 1)?.symbol).toBe('BBB');
  });
});

describe('news-sentiment exit', () => {
  const lot = aLot({ strategy: 'news-sentiment', symbol: 'AAA' });

  it.each([
    { sentiment: -0.01, held: 1, reason: 'strategy' }, // the news turned negative
    { sentiment: -0.9, held: 9, reason: 'strategy' },
    { sentiment: 0, held: 1, reason: null }, // at the exit level is not below it
    { sentiment: 0.5, held: 9, reason: null },
    { sentiment: Number.NaN, held: 1, reason: null }, // no news is not bad news
    { sentiment: Number.NaN, held: 9, reason: null },
    { sentiment: Number.NaN, held: 10, reason: 'time' }, // maxHoldDays 10
    { sentiment: 0.5, held: 12, reason: 'time' },
  ])('sentiment $sentiment after $held sessions -> $reason', ({ sentiment, held, reason }) => {
    const decision = strategy.exit(lot, aContext(aDay(trending), [sentiment]), 0, held);

    if (reason === null) expect(decision).toBeNull();
    else expect(decision).toMatchObject({ symbol: 'AAA', strategy: 'news-sentiment', reason });
  });
});
