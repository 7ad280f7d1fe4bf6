// Batch functions are benchmarked per call, so every check here is O(1) and runs once per call

/** Throws a RangeError unless `value` is a positive integer (a period, a lookback). */
export function assertPeriod(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

/** Throws a RangeError unless `value` is a non-negative integer (a number of series). */
export function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws a RangeError unless `value` is a finite number. */
export function assertFinite(value: number, name: string): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${value}`);
  }
}

/** Throws a RangeError naming `name` when `series` is not as long as the series it goes with. */
export function assertLength(
  series: ArrayLike<number>,
  name: string,
  expected: number,
  reference: string,
): void {
  if (series.length !== expected) {
    throw new RangeError(
      `${name} has length ${series.length}, expected ${expected} (the length of ${reference})`,
    );
  }
}
