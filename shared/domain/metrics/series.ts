/** Daily simple returns of an equity curve; day 0 is measured against the initial capital. */
export function dailyReturns(equity: Float64Array, initialCapital: number): Float64Array {
  const returns = new Float64Array(equity.length);
  let previous = initialCapital;
  for (let d = 0; d < equity.length; d++) {
    const value = equity[d]!;
    returns[d] = value / previous - 1;
    previous = value;
  }
  return returns;
}

/** Drawdown per day as a positive fraction below the running peak, which starts at the initial capital. */
export function drawdownSeries(equity: Float64Array, initialCapital: number): Float64Array {
  const drawdowns = new Float64Array(equity.length);
  let peak = initialCapital;
  for (let d = 0; d < equity.length; d++) {
    const value = equity[d]!;
    if (value > peak) peak = value;
    drawdowns[d] = 1 - value / peak;
  }
  return drawdowns;
}

/** Daily price return of an equal-weight universe rebalanced every day, from a day-major close matrix; day 0 is NaN. */
export function equalWeightReturns(
  close: Float64Array,
  nSymbols: number,
  nDays: number,
): Float64Array {
  if (close.length !== nSymbols * nDays) {
    throw new RangeError(
      `close has ${close.length} values, expected ${nSymbols} symbols × ${nDays} days`,
    );
  }
  const returns = new Float64Array(nDays);
  if (nDays > 0) returns[0] = Number.NaN;
  for (let d = 1; d < nDays; d++) {
    const today = d * nSymbols;
    const yesterday = today - nSymbols;
    let sum = 0;
    let count = 0;
    for (let s = 0; s < nSymbols; s++) {
      const previous = close[yesterday + s]!;
      const current = close[today + s]!;
      // A symbol not listed yet, delisted or missing a bar is out of that day's average, not a -100 % day
      if (!(previous > 0) || !Number.isFinite(previous) || !Number.isFinite(current)) continue;
      sum += current / previous - 1;
      count++;
    }
    returns[d] = count > 0 ? sum / count : Number.NaN;
  }
  return returns;
}
