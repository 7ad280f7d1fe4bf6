import { InvalidInputError } from '../errors.js';
import { assertRow, assertSeries, type IndicatorBank, StateReader } from './bank.js';
import { assertCount, assertPeriod } from './guards.js';
import { realignInterval } from './moving-moments.js';
import { ReturnsBank, type ReturnsBankState } from './returns.js';
import { RollingStdBank, type RollingStdBankState } from './rolling-std.js';

/** Rolling population std of `period` simple returns, not annualised; first value at `period`. */
export function volatility(close: Float64Array, period = 20): Float64Array {
  assertPeriod(period, 'period');
  const length = close.length;
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(period, length));
  if (length <= period) return out;

  // Same arithmetic, in the same order, as MovingMoments fed with `returns` (see there for why).
  // Returns are recomputed from the closes where needed again (same bits): no buffer is allocated
  const last = period - 1;
  let shift = close[1]! / close[0]! - 1;
  let sum = 0;
  let run = 0;
  let previous = Number.NaN;
  for (let t = 1; t <= period; t++) {
    const r = close[t]! / close[t - 1]! - 1;
    run = t > 1 && r === previous ? run + 1 : 0;
    sum += r - shift;
    previous = r;
  }
  const scale = 1 / (period * period);
  // period × the squared deviations
  let scaled =
    run >= last ? 0 : period * squaredReturnDeviations(close, 1, period, shift, sum / period);
  out[period] = Math.sqrt(scaled * scale);

  const interval = realignInterval(period);
  // Bars until the newest return's index (from 0) + 1 is a multiple of the interval, as in
  // MovingMoments fed with returns
  let untilAligned = interval - (period % interval);
  for (let t = period + 1; t < length; t++) {
    const r = close[t]! / close[t - 1]! - 1;
    run = r === previous ? run + 1 : 0;
    previous = r;
    const y = r - shift;
    const yOld = close[t - period]! / close[t - period - 1]! - 1 - shift;
    const change = y - yOld;
    const next = sum + change;
    scaled += change * (period * (y + yOld) - next - sum);
    sum = next;
    if (--untilAligned === 0) {
      untilAligned = interval;
      shift = close[t - last]! / close[t - last - 1]! - 1;
      sum = returnSum(close, t - last, period, shift);
      scaled = period * squaredReturnDeviations(close, t - last, period, shift, sum / period);
    }
    if (run >= last || scaled < 0) scaled = 0;
    out[t] = Math.sqrt(scaled * scale);
  }
  return out;
}

// windowSum over the returns at from..from + count - 1, computed from the closes
function returnSum(close: Float64Array, from: number, count: number, shift: number): number {
  let sum = 0;
  for (let t = from; t < from + count; t++) sum += close[t]! / close[t - 1]! - 1 - shift;
  return sum;
}

// squaredDeviations over the returns at from..from + count - 1, computed from the closes
function squaredReturnDeviations(
  close: Float64Array,
  from: number,
  count: number,
  shift: number,
  mean: number,
): number {
  let sum = 0;
  let squares = 0;
  for (let t = from; t < from + count; t++) {
    const deviation = close[t]! / close[t - 1]! - 1 - shift - mean;
    sum += deviation;
    squares += deviation * deviation;
  }
  return Math.max(squares - (sum * sum) / count, 0);
}

/** Saved state of a VolatilityBank. */
export interface VolatilityBankState {
  n: number;
  period: number;
  returns: ReturnsBankState;
  std: RollingStdBankState;
}

/** Volatility of n series, one bar at a time; the same numbers as `volatility`. */
export class VolatilityBank implements IndicatorBank<VolatilityBankState> {
  readonly n: number;
  readonly period: number;
  #returns: ReturnsBank;
  #std: RollingStdBank;

  constructor(n: number, period = 20) {
    assertCount(n, 'n');
    assertPeriod(period, 'period');
    this.n = n;
    this.period = period;
    this.#returns = new ReturnsBank(n);
    this.#std = new RollingStdBank(n, period);
  }

  /** Current volatility per series; NaN until the series has period + 1 bars. */
  get values(): Float64Array {
    return this.#std.values;
  }

  /** Adds one bar: the close of each series. */
  update(close: ArrayLike<number>): void {
    assertRow('VolatilityBank', 'close', close, this.n);
    this.updateValidated(close);
  }

  /**
   * `update` for a row already checked the way `update` checks it (finite values): MarketState
   * validates each day's bars once for all its banks rather than once per bank. The returns it
   * derives are still checked, as they are other values (a zero close makes them infinite).
   */
  updateValidated(close: ArrayLike<number>): void {
    assertRow('VolatilityBank', 'close', close, this.n, false);
    const returns = this.#returns;
    returns.updateValidated(close);
    // Every series has the same number of bars, so series 0 answers for all
    if (this.n > 0 && returns.isReady(0)) this.#std.update(returns.values);
  }

  /** Whether series i has period + 1 bars. */
  isReady(i: number): boolean {
    assertSeries('VolatilityBank', i, this.n);
    return this.#std.isReady(i);
  }

  /** Plain JSON state; see `VolatilityBank.fromJSON`. */
  toJSON(): VolatilityBankState {
    return {
      n: this.n,
      period: this.period,
      returns: this.#returns.toJSON(),
      std: this.#std.toJSON(),
    };
  }

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: VolatilityBankState): VolatilityBank {
    const reader = new StateReader('VolatilityBank', state);
    const n = reader.integer('n', 0);
    const period = reader.integer('period', 1);
    const bank = new VolatilityBank(n, period);
    bank.#returns = ReturnsBank.fromJSON(reader.nested('returns') as ReturnsBankState);
    bank.#std = RollingStdBank.fromJSON(reader.nested('std') as RollingStdBankState);
    if (bank.#returns.n !== n || bank.#std.n !== n || bank.#std.period !== period) {
      throw new InvalidInputError('VolatilityBank state: nested states do not match n and period');
    }
    return bank;
  }
}
