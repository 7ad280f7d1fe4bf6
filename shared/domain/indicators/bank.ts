import { InvalidInputError } from '../errors.js';

/** A number in a saved state: JSON has no NaN or Infinity, so non-finite values become null. */
export type JsonNumber = number | null;

/** What every bank offers: N independent series advanced together, readiness and a JSON state. */
export interface IndicatorBank<State> {
  /** Number of series */
  readonly n: number;
  /** Whether series i has seen enough bars for its value to be defined. */
  isReady(i: number): boolean;
  /** Plain state (numbers, arrays, nested objects) that the bank's `fromJSON` restores exactly. */
  toJSON(): State;
}

/** Encodes a typed array for JSON, non-finite values as null. */
export function toJsonNumbers(values: Float64Array): JsonNumber[] {
  const out = new Array<JsonNumber>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    out[i] = Number.isFinite(value) ? value : null;
  }
  return out;
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

/** Reads a saved state field by field; a misfit fails naming the bank and the field. */
export class StateReader {
  readonly #bank: string;
  readonly #state: Record<string, unknown>;

  constructor(bank: string, state: unknown) {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new InvalidInputError(`${bank} state must be an object`);
    }
    this.#bank = bank;
    this.#state = state as Record<string, unknown>;
  }

  /** An integer field no smaller than `min`. */
  integer(field: string, min: number): number {
    const value = this.#state[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw this.#error(field, `an integer >= ${min}`);
    }
    return value;
  }

  /** A finite number field. */
  number(field: string): number {
    const value = this.#state[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.#error(field, 'a number');
    return value;
  }

  /** An array of `length` numbers or nulls (null restored as NaN). */
  numbers(field: string, length: number): Float64Array {
    const value = this.#state[field];
    if (!Array.isArray(value) || value.length !== length) {
      throw this.#error(field, `an array of ${length} numbers or nulls`);
    }
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const item: unknown = value[i];
      if (item === null) out[i] = Number.NaN;
      else if (typeof item === 'number') out[i] = item;
      else throw this.#error(field, `an array of ${length} numbers or nulls`);
    }
    return out;
  }

  /** A nested state, left to the nested bank's own reader. */
  nested(field: string): unknown {
    return this.#state[field];
  }

  /** Fails unless a field holds the value the rest of the state was read with. */
  expect(field: string, expected: number): void {
    if (this.#state[field] !== expected) throw this.#error(field, String(expected));
  }

  #error(field: string, expected: string): InvalidInputError {
    return new InvalidInputError(`${this.#bank} state: ${field} must be ${expected}`);
  }
}
