import type { MarketHistory } from '../../shared/domain/market/history.js';
import { weekdays } from '../fixtures/calendar.js';
import { mulberry32 } from './random.js';

export interface GeneratorOptions {
  readonly symbols: number;
  readonly days: number;
  readonly seed?: number;
  readonly start?: string;
}

/**
 * A market of correlated random walks (one common factor plus noise, fat-ish tails from a regime
 * switch) with consistent OHLCV bars and a VIX that rises when the factor is volatile. Prices are
 * positive, high ≥ open/close ≥ low, so it passes the loader's validation.
 */
export function generateMarket(options: GeneratorOptions): MarketHistory {
  const { symbols: n, days } = options;
  const random = mulberry32(options.seed ?? 42);
  const gaussian = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const symbols = Array.from({ length: n }, (_, s) => `S${String(s).padStart(3, '0')}`);
  const dates = weekdays(options.start ?? '2014-01-02', days);
  const size = n * days;
  const open = new Float64Array(size);
  const high = new Float64Array(size);
  const low = new Float64Array(size);
  const close = new Float64Array(size);
  const volume = new Float64Array(size);
  const vix = new Float64Array(days);
  const last = Float64Array.from({ length: n }, () => 20 + 180 * random());
  const beta = Float64Array.from({ length: n }, () => 0.5 + random());
  let stressed = false;
  for (let d = 0; d < days; d++) {
    if (random() < (stressed ? 0.02 : 0.005)) stressed = !stressed;
    const marketVol = stressed ? 0.025 : 0.009;
    const factor = gaussian() * marketVol + 0.0003;
    vix[d] = Math.round(100 * (stressed ? 30 + 10 * random() : 12 + 8 * random())) / 100;
    for (let s = 0; s < n; s++) {
      const i = d * n + s;
      const previous = last[s]!;
      const gap = 1 + gaussian() * 0.004;
      const o = previous * gap;
      const c = o * (1 + beta[s]! * factor + gaussian() * 0.012);
      const range = Math.abs(gaussian()) * 0.01 * o;
      open[i] = round(o);
      close[i] = round(c);
      high[i] = round(Math.max(o, c) + range * random());
      low[i] = Math.max(0.01, round(Math.min(o, c) - range * random()));
      volume[i] = Math.round(1e6 * (0.5 + random()) * (stressed ? 1.8 : 1));
      last[s] = close[i]!;
    }
  }
  return { dates, symbols, open, high, low, close, volume, vix };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The market as the files of a data folder (prices/daily.csv, vix/daily.csv, symbols.csv). */
export function toDataFolderFiles(market: MarketHistory): Record<string, string> {
  const n = market.symbols.length;
  const prices = ['date,symbol,open,high,low,close,volume,adj_close'];
  market.symbols.forEach((symbol, s) => {
    market.dates.forEach((date, d) => {
      const i = d * n + s;
      prices.push(
        `${date},${symbol},${market.open[i]},${market.high[i]},${market.low[i]},${market.close[i]},${market.volume[i]},${market.close[i]}`,
      );
    });
  });
  const vix = [
    'date,open,high,low,close',
    ...market.dates.map(
      (date, d) => `${date},${market.vix[d]},${market.vix[d]},${market.vix[d]},${market.vix[d]}`,
    ),
  ];
  const symbols = [
    'symbol,name,sector,sub_industry',
    ...market.symbols.map((s) => `${s},Generated ${s},Generated,Generated`),
  ];
  return {
    'prices/daily.csv': `${prices.join('\n')}\n`,
    'vix/daily.csv': `${vix.join('\n')}\n`,
    'symbols.csv': `${symbols.join('\n')}\n`,
  };
}
