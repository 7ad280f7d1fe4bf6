import { assertPeriod } from './guards.js';

/** EMA as TA-Lib: seeded by the SMA of the first period values, then k = 2 / (period + 1). */
export function ema(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const length = values.length;
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period - 1, length));
  if (length < period) return out;

  const k = 2 / (period + 1);
  let sum = 0;
  for (let t = 0; t < period; t++) sum += values[t]!;
  let average = sum / period;
  out[period - 1] = average;
  for (let t = period; t < length; t++) {
    average = (values[t]! - average) * k + average;
    out[t] = average;
  }
  return out;
}
