import * as z from 'zod';
import { InvalidInputError } from '../errors.js';
import { correlation } from '../indicators/correlation.js';
import { DAY_FEATURE_ARRAYS, type DayFeatures } from './day-features.js';
import type { MarketState } from './market-state.js';

const FEATURE_FIELDS = DAY_FEATURE_ARRAYS;
type FeatureField = (typeof FEATURE_FIELDS)[number];

// JSON has no NaN: it is written as null and read back as NaN, which every rule treats alike
const numberOrNull = z.number().nullable();
const series = z.array(numberOrNull);

export const FeatureSnapshotSchema = z.object({
  date: z.iso.date(),
  session: z.number().int().nonnegative(),
  symbols: z.array(z.string().min(1)).min(1),
  fields: z.object(
    Object.fromEntries(FEATURE_FIELDS.map((f) => [f, series])) as {
      [K in FeatureField]: typeof series;
    },
  ),
  /** Per symbol, the last returns of the correlation window, oldest first; null until full */
  returnWindows: z.array(series.nullable()),
});
export type FeatureSnapshotJson = z.infer<typeof FeatureSnapshotSchema>;

const decode = (values: readonly (number | null)[]) =>
  Float64Array.from(values, (v) => v ?? Number.NaN);
const encode = (values: Float64Array) => Array.from(values, (v) => (Number.isNaN(v) ? null : v));

/**
 * What the steps after fetch-data read of the market at one close: the day's features and the
 * correlation windows, a copy small enough to pass from step to step (the whole market state, with
 * ml-momentum's training rings, is over a megabyte). Correlations are computed from the windows
 * with the same sums as the market state's own, so they are equal bit for bit.
 */
export class FeatureSnapshot {
  readonly #features: DayFeatures;
  readonly #windows: (Float64Array | null | undefined)[];
  readonly #windowOf: (s: number) => Float64Array | null;
  readonly #indexOf: (symbol: string) => number;
  #correlationOf: ((a: string, b: string) => number) | null = null;
  /** Throws once the views a snapshot of the live market state holds have moved on */
  readonly #check: () => void;

  private constructor(
    features: DayFeatures,
    windowOf: (s: number) => Float64Array | null,
    indexOf: (symbol: string) => number,
    check: () => void = () => {},
  ) {
    this.#check = check;
    this.#features = features;
    this.#windowOf = windowOf;
    this.#indexOf = indexOf;
    this.#windows = new Array(features.symbols.length);
  }

  /**
   * The market state's latest day, as views of it: a persisted store writes the snapshot at once
   * (toJSON), and an in-memory one hands it to the same day's steps, so it must be read or written
   * before the market state's next update, which it checks. Copying the day's arrays and every
   * return window each day was most of a 500-symbol backtest (0.3 s → 0.8 s).
   */
  static of(market: MarketState): FeatureSnapshot {
    const live = market.features();
    const date = live.date;
    const current = () => {
      if (market.lastDate !== date) {
        throw new InvalidInputError(`the feature snapshot of ${date} was read after the next day`);
      }
    };
    const windowOf = (s: number) => {
      current();
      const out = new Float64Array(market.returnWindowLength);
      return market.returnWindow(s, out) ? out : null;
    };
    const snapshot = new FeatureSnapshot(
      live,
      windowOf,
      (symbol) => market.indexOf(symbol),
      current,
    );
    // The market state's own correlations: the same sums (equal bit for bit), each series'
    // deviations prepared once a day rather than once a pair
    snapshot.#correlationOf = (a, b) => {
      current();
      return market.correlation(a, b);
    };
    return snapshot;
  }

  /** Reads a snapshot written by toJSON (parsed by FeatureSnapshotSchema). */
  static fromJSON(json: FeatureSnapshotJson): FeatureSnapshot {
    const n = json.symbols.length;
    const fields: Partial<Record<FeatureField, Float64Array>> = {};
    for (const f of FEATURE_FIELDS) {
      if (json.fields[f].length !== n) {
        throw new InvalidInputError(
          `feature snapshot ${json.date}: ${f} has ${json.fields[f].length} values for ${n} symbols`,
        );
      }
      fields[f] = decode(json.fields[f]);
    }
    if (json.returnWindows.length !== n) {
      throw new InvalidInputError(`feature snapshot ${json.date}: one return window per symbol`);
    }
    const features = {
      date: json.date,
      session: json.session,
      symbols: json.symbols,
      ...fields,
    } as DayFeatures;
    const windows = json.returnWindows;
    const index = new Map(json.symbols.map((symbol, s) => [symbol, s]));
    return new FeatureSnapshot(
      features,
      (s) => (windows[s] ? decode(windows[s]) : null),
      (symbol) => {
        const s = index.get(symbol);
        if (s === undefined) throw new InvalidInputError(`symbol ${symbol} is not in the universe`);
        return s;
      },
    );
  }

  toJSON(): FeatureSnapshotJson {
    const f = this.features();
    return {
      date: f.date,
      session: f.session,
      symbols: [...f.symbols],
      fields: Object.fromEntries(
        FEATURE_FIELDS.map((field) => [field, encode(f[field])]),
      ) as FeatureSnapshotJson['fields'],
      returnWindows: f.symbols.map((_, s) => {
        const window = this.#window(s);
        return window === null ? null : encode(window);
      }),
    };
  }

  get date(): string {
    return this.#features.date;
  }

  /** Sessions the market state had processed at this close */
  get session(): number {
    return this.#features.session;
  }

  get symbols(): readonly string[] {
    return this.#features.symbols;
  }

  features(): DayFeatures {
    this.#check();
    return this.#features;
  }

  /** The universe index of a symbol; throws for a symbol outside the universe. */
  indexOf(symbol: string): number {
    return this.#indexOf(symbol);
  }

  /** Correlation of two symbols' return windows; NaN until both are full. */
  correlation(a: string, b: string): number {
    if (this.#correlationOf) return this.#correlationOf(a, b);
    const x = this.#window(this.indexOf(a));
    const y = this.#window(this.indexOf(b));
    if (!x || !y) return Number.NaN;
    return correlation(x, y);
  }

  #window(s: number): Float64Array | null {
    let window = this.#windows[s];
    if (window === undefined) {
      window = this.#windowOf(s);
      this.#windows[s] = window;
    }
    return window;
  }
}
