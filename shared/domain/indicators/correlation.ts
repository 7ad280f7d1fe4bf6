import { assertLength, assertPeriod } from './guards.js';
import { realignInterval } from './moving-moments.js';
import { pearson } from './pearson.js';

/** Pearson correlation of a[from..to) and b[from..to) by an exact two-pass; NaN if one is flat. */
export function correlation(a: Float64Array, b: Float64Array, from = 0, to = a.length): number {
  assertLength(b, 'b', a.length, 'a');
  if (!Number.isInteger(from) || from < 0 || from > a.length) {
    throw new RangeError(`from must be an integer in 0..${a.length}, got ${from}`);
  }
  if (!Number.isInteger(to) || to < from || to > a.length) {
    throw new RangeError(`to must be an integer in ${from}..${a.length}, got ${to}`);
  }
  const count = to - from;
  if (count < 2) return Number.NaN;

  // Deviations are taken from the first value before the mean, so a constant window gives exact
  // zeros (and NaN) instead of the rounding left in its mean
  const x0 = a[from]!;
  const y0 = b[from]!;
  let sumX = 0;
  let sumY = 0;
  for (let k = from; k < to; k++) {
    sumX += a[k]! - x0;
    sumY += b[k]! - y0;
  }
  const meanX = sumX / count;
  const meanY = sumY / count;
  // Even and odd positions are summed apart and added at the end: half the wait on each sum's
  // latency. ReturnWindowBank.correlationOf keeps this exact order, to stay equal bit for bit
  let xx = 0;
  let yy = 0;
  let xy = 0;
  let xxOdd = 0;
  let yyOdd = 0;
  let xyOdd = 0;
  let k = from;
  for (; k + 1 < to; k += 2) {
    const dx = a[k]! - x0 - meanX;
    const dy = b[k]! - y0 - meanY;
    xx += dx * dx;
    yy += dy * dy;
    xy += dx * dy;
    const ex = a[k + 1]! - x0 - meanX;
    const ey = b[k + 1]! - y0 - meanY;
    xxOdd += ex * ex;
    yyOdd += ey * ey;
    xyOdd += ex * ey;
  }
  if (k < to) {
    const dx = a[k]! - x0 - meanX;
    const dy = b[k]! - y0 - meanY;
    xx += dx * dx;
    yy += dy * dy;
    xy += dx * dy;
  }
  return pearson(xx + xxOdd, yy + yyOdd, xy + xyOdd);
}

/** Pearson correlation over a sliding window; NaN for period - 1 bars and on constant windows. */
export function rollingCorrelation(a: Float64Array, b: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const length = a.length;
  assertLength(b, 'b', length, 'a');
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period - 1, length));
  if (length < period) return out;

  // The rolling variance of MovingMoments, extended to co-moments: values relative to a shift (a
  // value of the window), centred co-moments sliding with a Welford-style update, everything
  // re-derived from the window every realignInterval(period) bars, and a run of repeats as long
  // as the window marking an exactly constant one. Raw sums of x², y² and xy would cancel
  // away the digits that price-level inputs need
  const last = period - 1;
  let runX = 0;
  let runY = 0;
  for (let t = 1; t < period; t++) {
    runX = a[t] === a[t - 1] ? runX + 1 : 0;
    runY = b[t] === b[t - 1] ? runY + 1 : 0;
  }
  let shiftX = a[0]!;
  let shiftY = b[0]!;
  windowMoments(a, b, 0, period, shiftX, shiftY);
  let sumX = exact[0]!;
  let sumY = exact[1]!;
  let meanX = sumX / period;
  let meanY = sumY / period;
  let xx = runX >= last ? 0 : exact[2]!;
  let yy = runY >= last ? 0 : exact[3]!;
  let xy = exact[4]!;
  out[last] = pearson(xx, yy, xy);

  const interval = realignInterval(period);
  // Bars until the window's newest index + 1 is a multiple of the interval, as in MovingMoments
  let untilAligned = interval - (period % interval);
  for (let t = period; t < length; t++) {
    runX = a[t] === a[t - 1] ? runX + 1 : 0;
    runY = b[t] === b[t - 1] ? runY + 1 : 0;
    const x = a[t]! - shiftX;
    const y = b[t]! - shiftY;
    const oldX = a[t - period]! - shiftX;
    const oldY = b[t - period]! - shiftY;
    const changeX = x - oldX;
    const changeY = y - oldY;
    sumX += changeX;
    sumY += changeY;
    const nextX = sumX / period;
    const nextY = sumY / period;
    // Swapping old for new moves Σ(x - x̄)(y - ȳ) by half of Δx·(y + y_old - ȳ' - ȳ) +
    // Δy·(x + x_old - x̄' - x̄); for x = y that is the variance update
    const spreadX = x - nextX + oldX - meanX;
    const spreadY = y - nextY + oldY - meanY;
    xx += changeX * spreadX;
    yy += changeY * spreadY;
    xy += 0.5 * (changeX * spreadY + changeY * spreadX);
    meanX = nextX;
    meanY = nextY;
    if (--untilAligned === 0) {
      untilAligned = interval;
      shiftX = a[t - last]!;
      shiftY = b[t - last]!;
      windowMoments(a, b, t - last, period, shiftX, shiftY);
      sumX = exact[0]!;
      sumY = exact[1]!;
      meanX = sumX / period;
      meanY = sumY / period;
      xx = exact[2]!;
      yy = exact[3]!;
      xy = exact[4]!;
    }
    if (runX >= last || xx < 0) xx = 0;
    if (runY >= last || yy < 0) yy = 0;
    out[t] = pearson(xx, yy, xy);
  }
  return out;
}

// Output of windowMoments: Σx, Σy (less the shifts), Σdx², Σdy², Σdx·dy. Module scratch, so that
// rollingCorrelation allocates nothing
const exact = new Float64Array(5);

// Sums and centred co-moments of a window (corrected two-pass formula), into `exact`
function windowMoments(
  a: Float64Array,
  b: Float64Array,
  from: number,
  count: number,
  shiftX: number,
  shiftY: number,
): void {
  const to = from + count;
  let sumX = 0;
  let sumY = 0;
  for (let t = from; t < to; t++) {
    sumX += a[t]! - shiftX;
    sumY += b[t]! - shiftY;
  }
  const meanX = sumX / count;
  const meanY = sumY / count;
  let deviationX = 0;
  let deviationY = 0;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let t = from; t < to; t++) {
    const dx = a[t]! - shiftX - meanX;
    const dy = b[t]! - shiftY - meanY;
    deviationX += dx;
    deviationY += dy;
    xx += dx * dx;
    yy += dy * dy;
    xy += dx * dy;
  }
  exact[0] = sumX;
  exact[1] = sumY;
  exact[2] = Math.max(xx - (deviationX * deviationX) / count, 0);
  exact[3] = Math.max(yy - (deviationY * deviationY) / count, 0);
  exact[4] = xy - (deviationX * deviationY) / count;
}
