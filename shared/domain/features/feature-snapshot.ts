import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { correlation } from '../indicators/correlation.js';
import type { DayFeatures } from './day-features.js';
import type { MarketState } from './market-state.js';

const FEATURE_FIELDS = [
  'close',
  'dailyReturn',
  'rsi',
  'previousRsi',
  'atr',
  'fastSma',
  'slowSma',
  'previousFastSma',
  'previousSlowSma',
  'trendSma',
  'bollingerUpper',
  'bollingerMiddle',
  'closesAboveUpper',
  'volumeRatio',
  'mlProbability',
] as const satisfies readonly (keyof DayFeatures)[];
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
  readonly #windows: (Float64Array | null)[];
  readonly #index: Map<string, number>;

  private constructor(features: DayFeatures, windows: (Float64Array | null)[]) {
    this.#features = features;
    this.#windows = windows;
    this.#index = new Map(features.symbols.map((symbol, s) => [symbol, s]));
  }

  /** A copy of the market state's latest day. */
  static of(market: MarketState): FeatureSnapshot {
    const live = market.features();
    const copy = { date: live.date, session: live.session, symbols: [...live.symbols] };
    const fields = Object.fromEntries(FEATURE_FIELDS.map((f) => [f, Float64Array.from(live[f])]));
    const windows = live.symbols.map((_, s) => {
      const out = new Float64Array(market.returnWindowLength);
      return market.returnWindow(s, out) ? out : null;
    });
    return new FeatureSnapshot({ ...copy, ...fields } as unknown as DayFeatures, windows);
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
    return new FeatureSnapshot(
      features,
      json.returnWindows.map((w) => (w === null ? null : decode(w))),
    );
  }

  toJSON(): FeatureSnapshotJson {
    const f = this.#features;
    return {
      date: f.date,
      session: f.session,
      symbols: [...f.symbols],
      fields: Object.fromEntries(
        FEATURE_FIELDS.map((field) => [field, encode(f[field])]),
      ) as FeatureSnapshotJson['fields'],
      returnWindows: this.#windows.map((w) => (w === null ? null : encode(w))),
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
    return this.#features;
  }

  /** The universe index of a symbol; throws for a symbol outside the universe. */
  indexOf(symbol: string): number {
    const s = this.#index.get(symbol);
    if (s === undefined) throw new InvalidInputError(`symbol ${symbol} is not in the universe`);
    return s;
  }

  /** Correlation of two symbols' return windows; NaN until both are full. */
  correlation(a: string, b: string): number {
    const x = this.#windows[this.indexOf(a)];
    const y = this.#windows[this.indexOf(b)];
    if (!x || !y) return Number.NaN;
    return correlation(x, y);
  }
}
