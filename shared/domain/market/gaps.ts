import { InvalidInputError } from '../errors.js';
import type { DayBars } from './history.js';

/**
 * A day whose missing symbols' rows hold their last close carried forward: open, high, low and
 * close at that close, volume 0. The indicators then see a flat day (no return, no range) rather
 * than a hole they cannot skip, and the rest of the universe advances as usual. Without a missing
 * symbol the day is returned as it is.
 */
export function carryForward(day: DayBars, lastClose: ArrayLike<number>): DayBars {
  const missing = day.missing ?? [];
  if (missing.length === 0) return day;
  const rows = {
    open: day.open.slice(),
    high: day.high.slice(),
    low: day.low.slice(),
    close: day.close.slice(),
    volume: day.volume.slice(),
  };
  for (const symbol of missing) {
    const s = day.symbols.indexOf(symbol);
    if (s < 0)
      throw new InvalidInputError(`${day.date}: missing symbol ${symbol} is not in the universe`);
    const close = lastClose[s];
    if (close === undefined || !Number.isFinite(close)) {
      throw new InvalidInputError(
        `${day.date}: no bar for ${symbol} and no earlier close to carry forward`,
      );
    }
    rows.open[s] = rows.high[s] = rows.low[s] = rows.close[s] = close;
    rows.volume[s] = 0;
  }
  return { date: day.date, symbols: day.symbols, vix: day.vix, ...rows };
}
