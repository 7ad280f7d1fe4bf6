import type * as z from 'zod';
import { bankSchema, CountSchema, decodeState, PeriodSchema } from '../state-codec.js';
import { assertRow, assertSeries, type IndicatorBank } from './bank.js';
import { assertCount, assertPeriod } from './guards.js';
import { ReturnsBank } from './returns.js';
import { RollingStdBank } from './rolling-std.js';

const VolatilityBankShape = {
  n: CountSchema,
  period: PeriodSchema,
  returns: ReturnsBank.schema,
  std: RollingStdBank.schema,
};
/** Saved state of a VolatilityBank. */
export type VolatilityBankState = z.input<z.ZodObject<typeof VolatilityBankShape>>;

/**
 * Volatility of n series, one bar at a time: the rolling population std of `period` simple returns,
 * not annualised; the same numbers as `rollingStd` of `returns`, first defined at bar `period`.
 */
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

  /** Reads a saved state into a VolatilityBank. */
  static readonly schema: z.ZodType<VolatilityBank, VolatilityBankState> = bankSchema(
    VolatilityBankShape,
    (s, misfit) => {
      const bank = new VolatilityBank(s.n, s.period);
      if (s.returns.n !== s.n) misfit('returns', 'does not match n');
      if (s.std.n !== s.n || s.std.period !== s.period)
        misfit('std', 'does not match n and period');
      bank.#returns = s.returns;
      bank.#std = s.std;
      return [bank, {}];
    },
  );

  /** Restores a bank saved by `toJSON`; updates continue as if never interrupted. */
  static fromJSON(state: unknown): VolatilityBank {
    return decodeState(VolatilityBank.schema, state, 'VolatilityBank');
  }
}
