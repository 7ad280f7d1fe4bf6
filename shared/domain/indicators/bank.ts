import { InvalidInputError } from '../errors.js';

/** What every bank offers: N independent series advanced together, readiness and a JSON state. */
export interface IndicatorBank<State> {
  /** Number of series */
  readonly n: number;
  /** Whether series i has seen enough bars for its value to be defined. */
  isReady(i: number): boolean;
  /** Plain state (numbers, arrays, nested objects) that the bank's `fromJSON` restores exactly. */
  toJSON(): State;
}

// Non-finite inputs are refused because a NaN would poison running sums for good, and a bank's
// state outlives the run that fed it

/** Checks a row before any state changes, so that a refused update leaves the bank as it was. */
export function assertRow(
  bank: string,
  name: string,
  row: ArrayLike<number>,
  n: number,
  finite = true,
): void {
  if (row.length !== n) {
    throw new RangeError(`${bank}.update: ${name} has length ${row.length}, expected ${n} series`);
  }
  if (!finite) return;
  for (let i = 0; i < n; i++) {
    const value = row[i]!;
    if (!Number.isFinite(value)) {
      throw new InvalidInputError(
        `${bank}.update: ${name}[${i}] is ${value}, expected a finite number`,
      );
    }
  }
}

/** Throws a RangeError unless i is a series index of a bank of n series. */
export function assertSeries(bank: string, i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new RangeError(`${bank}: series ${i} is outside 0..${n - 1}`);
  }
}
