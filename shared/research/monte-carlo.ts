import { mulberry32 } from '../domain/numeric/random.js';

/** Quantiles of a distribution, and its mean. */
export interface Distribution {
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  readonly mean: number;
}

export interface MonteCarloInput {
  readonly initialCapital: number;
  readonly dailyReturns: Float64Array;
  /** Closed trades' P&L in dollars, in the order they closed */
  readonly tradePnl: Float64Array;
  readonly runs: number;
  readonly seed: number;
  /** A drawdown beyond this fraction counts towards `drawdownBeyond` */
  readonly threshold: number;
}

/** One resampling method's outcome: distributions and the chance of a drawdown past the threshold. */
export interface Resampled {
  readonly finalReturn: Distribution;
  readonly maxDrawdown: Distribution;
  readonly drawdownBeyond: number;
  readonly samples: { readonly finalReturn: Float64Array; readonly maxDrawdown: Float64Array };
}

export interface MonteCarloReport {
  readonly observed: { readonly finalReturn: number; readonly maxDrawdown: number };
  /** Daily returns drawn with replacement, compounded */
  readonly dailyBootstrap: Resampled;
  /** Trade P&L drawn with replacement, added to the capital */
  readonly tradeBootstrap: Resampled;
  /** The same trades in a shuffled order: the final return is fixed, the drawdown path is not */
  readonly tradeShuffle: Resampled;
}

/** Bootstraps daily and trade returns, and reshuffles the trade order, under one seed. */
export function monteCarlo(input: MonteCarloInput): MonteCarloReport {
  const random = mulberry32(input.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const { dailyReturns: daily, tradePnl: pnl, initialCapital: capital } = input;

  const compound = (draw: (i: number) => number, n: number) => {
    let value = 1;
    let peak = 1;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      value *= 1 + draw(i);
      peak = Math.max(peak, value);
      worst = Math.max(worst, 1 - value / peak);
    }
    return [value - 1, worst] as const;
  };
  const add = (draw: (i: number) => number, n: number) => {
    let value = capital;
    let peak = capital;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      value += draw(i);
      peak = Math.max(peak, value);
      worst = Math.max(worst, peak > 0 ? 1 - value / peak : 0);
    }
    return [value / capital - 1, worst] as const;
  };
  const resample = (one: () => readonly [number, number]): Resampled => {
    const finalReturn = new Float64Array(input.runs);
    const maxDrawdown = new Float64Array(input.runs);
    for (let r = 0; r < input.runs; r++) [finalReturn[r], maxDrawdown[r]] = one();
    const beyond = maxDrawdown.filter((x) => x > input.threshold).length;
    return {
      finalReturn: distribution(finalReturn),
      maxDrawdown: distribution(maxDrawdown),
      drawdownBeyond: input.runs > 0 ? beyond / input.runs : 0,
      samples: { finalReturn, maxDrawdown },
    };
  };

  const [observedReturn, observedDrawdown] = compound((i) => daily[i]!, daily.length);
  const order = Array.from(pnl.keys());
  return {
    observed: { finalReturn: observedReturn, maxDrawdown: observedDrawdown },
    dailyBootstrap: resample(() => compound(() => daily[pick(daily.length)]!, daily.length)),
    tradeBootstrap: resample(() => add(() => pnl[pick(pnl.length)]!, pnl.length)),
    tradeShuffle: resample(() => {
      // Fisher-Yates, in place: each run shuffles the previous run's order further
      for (let i = order.length - 1; i > 0; i--) {
        const j = pick(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      return add((i) => pnl[order[i]!]!, order.length);
    }),
  };
}

/** Quantiles by the nearest rank of the sorted values; NaN for an empty sample. */
export function distribution(values: Float64Array): Distribution {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length === 0
      ? Number.NaN
      : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { p5: at(0.05), p25: at(0.25), p50: at(0.5), p75: at(0.75), p95: at(0.95), mean };
}
