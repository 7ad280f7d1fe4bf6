import type { TradingConfig } from '../config.js';
import { InvalidInputError } from '../errors.js';
import {
  fitLogistic,
  type LogisticModel,
  type LogisticModelJson,
  modelFromJSON,
  modelToJSON,
  predictProbability,
} from '../ml/logistic-regression.js';
import { periodKey } from '../time.js';

/** Features per symbol and day: 1-, 5- and 20-day returns, RSI/100, return volatility, log volume ratio */
export const ML_FEATURE_COUNT = 6;
// The longest look-back among the features (the 20-day return)
const MAX_RETURN_LAG = 20;

export interface MlIndicatorRow {
  readonly rsi: ArrayLike<number>;
  readonly volatility: ArrayLike<number>;
  readonly volumeRatio: ArrayLike<number>;
}

export interface MlMomentumJson {
  readonly sessions: number;
  readonly lastTrainKey: string | null;
  readonly features: (number | null)[];
  readonly closes: (number | null)[];
  /** Today's probabilities, so a restored state reads the same features before its next update */
  readonly probability: (number | null)[];
  readonly models: (LogisticModelJson | null)[];
}

/**
 * The ml-momentum model of every symbol: a rolling window of features and closes, a logistic
 * regression per symbol refitted on a calendar schedule anchored to trading dates, and today's
 * P(horizon-day return > 0). Training uses only rows whose label is known at today's close: the
 * newest `horizon` rows of the window wait for their future.
 */
export class MlMomentumModel {
  readonly probability: Float64Array;
  readonly #n: number;
  readonly #params: TradingConfig['strategies']['ml-momentum'];
  readonly #closeLength: number;
  #features: Float64Array;
  #closes: Float64Array;
  #models: (LogisticModel | null)[];
  #sessions = 0;
  #lastTrainKey: string | null = null;
  // Scratch buffers reused by every fit
  readonly #x: Float64Array;
  readonly #y: Uint8Array;
  readonly #row = new Float64Array(ML_FEATURE_COUNT);

  constructor(n: number, params: TradingConfig['strategies']['ml-momentum']) {
    if (params.horizonDays >= params.lookbackDays) {
      throw new InvalidInputError('ml-momentum: horizonDays must be shorter than lookbackDays');
    }
    this.#n = n;
    this.#params = params;
    this.#closeLength = params.lookbackDays + MAX_RETURN_LAG + 1;
    this.#features = new Float64Array(n * params.lookbackDays * ML_FEATURE_COUNT).fill(Number.NaN);
    this.#closes = new Float64Array(n * this.#closeLength).fill(Number.NaN);
    this.#models = new Array(n).fill(null);
    this.probability = new Float64Array(n).fill(Number.NaN);
    const samples = params.lookbackDays - params.horizonDays;
    this.#x = new Float64Array(samples * ML_FEATURE_COUNT);
    this.#y = new Uint8Array(samples);
  }

  /** Adds a day (closes and indicator values after the day's update), retrains when due, predicts. */
  update(date: string, close: ArrayLike<number>, indicators: MlIndicatorRow): void {
    const { lookbackDays } = this.#params;
    const k = this.#sessions;
    for (let s = 0; s < this.#n; s++) {
      this.#closes[s * this.#closeLength + (k % this.#closeLength)] = close[s]!;
      const row = this.#featureRow(s, k, indicators);
      this.#features.set(row, (s * lookbackDays + (k % lookbackDays)) * ML_FEATURE_COUNT);
    }
    this.#sessions = k + 1;

    const key = periodKey(date, this.#params.retrain);
    if (key !== this.#lastTrainKey && this.#sessions >= lookbackDays && this.#trainAll()) {
      this.#lastTrainKey = key;
    }

    for (let s = 0; s < this.#n; s++) {
      const model = this.#models[s];
      const row = this.#copyRow(s, k, this.#row);
      this.probability[s] =
        model && row.every(Number.isFinite) ? predictProbability(model, row) : Number.NaN;
    }
  }

  /** Plain JSON for the state store; non-finite numbers travel as null. */
  toJSON(): MlMomentumJson {
    const encode = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
    return {
      sessions: this.#sessions,
      lastTrainKey: this.#lastTrainKey,
      features: encode(this.#features),
      closes: encode(this.#closes),
      probability: encode(this.probability),
      models: this.#models.map((m) => (m ? modelToJSON(m) : null)),
    };
  }

  /** Restores a model saved by toJSON, for the same universe size and parameters. */
  static fromJSON(
    json: MlMomentumJson,
    n: number,
    params: TradingConfig['strategies']['ml-momentum'],
  ): MlMomentumModel {
    const model = new MlMomentumModel(n, params);
    const decode = (values: (number | null)[], into: Float64Array, what: string) => {
      if (values.length !== into.length) {
        throw new InvalidInputError(
          `ml-momentum state: ${what} has ${values.length} values, expected ${into.length}`,
        );
      }
      values.forEach((v, i) => {
        into[i] = v ?? Number.NaN;
      });
    };
    decode(json.features, model.#features, 'features');
    decode(json.closes, model.#closes, 'closes');
    decode(json.probability, model.probability, 'probability');
    if (json.models.length !== n)
      throw new InvalidInputError(
        `ml-momentum state: ${json.models.length} models for ${n} symbols`,
      );
    model.#models = json.models.map((m) => (m ? modelFromJSON(m) : null));
    model.#sessions = json.sessions;
    model.#lastTrainKey = json.lastTrainKey;
    return model;
  }

  #close(s: number, session: number): number {
    if (session < 0 || session <= this.#sessions - this.#closeLength - 1) return Number.NaN;
    return this.#closes[s * this.#closeLength + (session % this.#closeLength)]!;
  }

  #featureRow(s: number, k: number, ind: MlIndicatorRow): Float64Array {
    const row = this.#row;
    const c = this.#close(s, k);
    row[0] = c / this.#close(s, k - 1) - 1;
    row[1] = c / this.#close(s, k - 5) - 1;
    row[2] = c / this.#close(s, k - MAX_RETURN_LAG) - 1;
    row[3] = ind.rsi[s]! / 100;
    row[4] = ind.volatility[s]!;
    row[5] = Math.log(ind.volumeRatio[s]!);
    return row;
  }

  #rowStart(s: number, session: number): number {
    return (
      (s * this.#params.lookbackDays + (session % this.#params.lookbackDays)) * ML_FEATURE_COUNT
    );
  }

  #copyRow(s: number, session: number, into: Float64Array): Float64Array {
    const start = this.#rowStart(s, session);
    for (let f = 0; f < ML_FEATURE_COUNT; f++) into[f] = this.#features[start + f]!;
    return into;
  }

  /** Refits every symbol on the window ending today; false while the window still has warm-up gaps. */
  #trainAll(): boolean {
    const { lookbackDays, horizonDays, l2 } = this.#params;
    const last = this.#sessions - 1;
    const first = last - lookbackDays + 1;
    const samples = lookbackDays - horizonDays;
    const fitted: (LogisticModel | null)[] = [];
    for (let s = 0; s < this.#n; s++) {
      for (let i = 0; i < samples; i++) {
        const session = first + i;
        const start = this.#rowStart(s, session);
        for (let f = 0; f < ML_FEATURE_COUNT; f++) {
          const value = this.#features[start + f]!;
          if (!Number.isFinite(value)) return false;
          this.#x[i * ML_FEATURE_COUNT + f] = value;
        }
        // The label is known: session + horizon <= today
        this.#y[i] = this.#close(s, session + horizonDays) > this.#close(s, session) ? 1 : 0;
      }
      // Last period's weights start the fit a step or two from this period's optimum
      const previous = this.#models[s];
      fitted.push(
        fitLogistic(this.#x, this.#y, samples, ML_FEATURE_COUNT, {
          l2,
          ...(previous && { initial: previous.weights }),
        }),
      );
    }
    this.#models = fitted;
    return true;
  }
}
