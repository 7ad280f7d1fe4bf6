import type { TradingConfig } from '../config.js';
import { InvalidInputError } from '../errors.js';
import {
  AtrBank,
  BollingerBank,
  ReturnsBank,
  ReturnWindowBank,
  RsiBank,
  SmaBank,
  VolatilityBank,
  VolumeRatioBank,
} from '../indicators/index.js';
import type { DayBars } from '../market/history.js';
import type { DayFeatures } from './day-features.js';
import { type MlMomentumJson, MlMomentumModel } from './ml-momentum-model.js';

// The volume ratio compares today's volume with its 20-day average, as the spec's rules state it
const VOLUME_AVERAGE_DAYS = 20;
// Volatility of returns is a model feature; 20 sessions is one trading month
const VOLATILITY_DAYS = 20;

const BAR_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Everything the strategies know about the market, advanced one day at a time from the first bar of
 * the data: indicators of every symbol, the correlation windows and the ml-momentum models. The
 * daily run saves it after each day (toJSON) and restores it the next; the backtest keeps it in memory.
 */
interface Banks {
  readonly fastSma: SmaBank;
  readonly slowSma: SmaBank;
  readonly trendSma: SmaBank;
  readonly rsi: RsiBank;
  readonly atr: AtrBank;
  readonly bollinger: BollingerBank;
  readonly volumeRatio: VolumeRatioBank;
  readonly volatility: VolatilityBank;
  readonly returns: ReturnsBank;
  readonly returnWindow: ReturnWindowBank;
}

export interface MarketStateJson {
  readonly symbols: string[];
  readonly session: number;
  readonly lastDate: string | null;
  readonly indicators: { readonly [K in keyof Banks]: ReturnType<Banks[K]['toJSON']> };
  readonly previous: Readonly<
    Record<'rsi' | 'fast' | 'slow' | 'closesAboveUpper' | 'close', (number | null)[]>
  >;
  readonly ml: MlMomentumJson | null;
}

const encode = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));

function decodeInto(values: readonly (number | null)[], into: Float64Array, what: string): void {
  if (values.length !== into.length) {
    throw new InvalidInputError(
      `market state: ${what} has ${values.length} values, expected ${into.length}`,
    );
  }
  values.forEach((v, i) => {
    into[i] = v ?? Number.NaN;
  });
}

/**
 * Everything the strategies know about the market, advanced one day at a time from the first bar of
 * the data: indicators of every symbol, the correlation windows and the ml-momentum models. The
 * daily run saves it after each day (toJSON) and restores it the next; the backtest keeps it in memory.
 */
export class MarketState {
  readonly symbols: readonly string[];
  #session = 0;
  #lastDate: string | null = null;
  readonly #index: Map<string, number>;
  readonly #banks: Banks;
  readonly #ml: MlMomentumModel | null;
  // Yesterday's values, for crossovers and the RSI slope
  readonly #previousRsi: Float64Array;
  readonly #previousFast: Float64Array;
  readonly #previousSlow: Float64Array;
  readonly #closesAboveUpper: Float64Array;
  readonly #close: Float64Array;
  readonly #noProbability: Float64Array;

  private constructor(symbols: readonly string[], banks: Banks, ml: MlMomentumModel | null) {
    const n = symbols.length;
    this.symbols = [...symbols];
    this.#index = new Map(symbols.map((symbol, i) => [symbol, i]));
    this.#banks = banks;
    this.#ml = ml;
    const nan = () => new Float64Array(n).fill(Number.NaN);
    this.#previousRsi = nan();
    this.#previousFast = nan();
    this.#previousSlow = nan();
    this.#closesAboveUpper = new Float64Array(n);
    this.#close = nan();
    this.#noProbability = nan();
  }

  /** A state that has seen no bars yet, for a universe and config. */
  static create(symbols: readonly string[], config: TradingConfig): MarketState {
    const n = symbols.length;
    const s = config.strategies;
    const banks: Banks = {
      fastSma: new SmaBank(n, s['ma-crossover'].fastPeriod),
      slowSma: new SmaBank(n, s['ma-crossover'].slowPeriod),
      trendSma: new SmaBank(n, s['news-sentiment'].trendPeriod),
      rsi: new RsiBank(n, s['rsi-mean-reversion'].period),
      atr: new AtrBank(n, config.sizing.atrPeriod),
      bollinger: new BollingerBank(
        n,
        s['volatility-breakout'].period,
        s['volatility-breakout'].stdDevs,
      ),
      volumeRatio: new VolumeRatioBank(n, VOLUME_AVERAGE_DAYS),
      volatility: new VolatilityBank(n, VOLATILITY_DAYS),
      returns: new ReturnsBank(n),
      returnWindow: new ReturnWindowBank(n, config.correlation.lookbackDays),
    };
    // The model costs most of a day's update: build it only when its strategy can trade
    const ml = s.enabled.includes('ml-momentum') ? new MlMomentumModel(n, s['ml-momentum']) : null;
    return new MarketState(symbols, banks, ml);
  }

  /** Sessions processed so far. */
  get session(): number {
    return this.#session;
  }

  /** The trading date of the last bar processed, or null before the first. */
  get lastDate(): string | null {
    return this.#lastDate;
  }

  /** The universe index of a symbol; throws for a symbol outside the universe. */
  indexOf(symbol: string): number {
    const s = this.#index.get(symbol);
    if (s === undefined) throw new InvalidInputError(`symbol ${symbol} is not in the universe`);
    return s;
  }

  /** Advances every indicator by one day; the bars must be the universe's, in order, after the last day. */
  update(day: DayBars): void {
    this.#validate(day);
    const b = this.#banks;
    this.#previousRsi.set(b.rsi.values);
    this.#previousFast.set(b.fastSma.values);
    this.#previousSlow.set(b.slowSma.values);

    b.fastSma.update(day.close);
    b.slowSma.update(day.close);
    b.trendSma.update(day.close);
    b.rsi.update(day.close);
    b.atr.update(day.high, day.low, day.close);
    b.bollinger.update(day.close);
    b.volumeRatio.update(day.volume);
    b.volatility.update(day.close);
    b.returns.update(day.close);
    b.returnWindow.update(day.close);
    this.#close.set(day.close);

    const upper = b.bollinger.upper;
    for (let s = 0; s < this.symbols.length; s++) {
      this.#closesAboveUpper[s] = day.close[s]! > upper[s]! ? this.#closesAboveUpper[s]! + 1 : 0;
    }
    this.#ml?.update(day.date, day.close, {
      rsi: b.rsi.values,
      volatility: b.volatility.values,
      volumeRatio: b.volumeRatio.values,
    });
    this.#session += 1;
    this.#lastDate = day.date;
  }

  /** Today's features, as views valid until the next update. */
  features(): DayFeatures {
    if (this.#lastDate === null) throw new InvalidInputError('market state has no data yet');
    const b = this.#banks;
    return {
      date: this.#lastDate,
      session: this.#session,
      symbols: this.symbols,
      close: this.#close,
      dailyReturn: b.returns.values,
      rsi: b.rsi.values,
      previousRsi: this.#previousRsi,
      atr: b.atr.values,
      fastSma: b.fastSma.values,
      slowSma: b.slowSma.values,
      previousFastSma: this.#previousFast,
      previousSlowSma: this.#previousSlow,
      trendSma: b.trendSma.values,
      bollingerUpper: b.bollinger.upper,
      bollingerMiddle: b.bollinger.middle,
      closesAboveUpper: this.#closesAboveUpper,
      volumeRatio: b.volumeRatio.values,
      mlProbability: this.#ml?.probability ?? this.#noProbability,
    };
  }

  /** Correlation of two symbols' daily returns over the configured window; NaN until it is full. */
  correlation(a: string, b: string): number {
    return this.#banks.returnWindow.correlationOf(this.indexOf(a), this.indexOf(b));
  }

  #validate(day: DayBars): void {
    if (this.#lastDate !== null && day.date <= this.#lastDate) {
      throw new InvalidInputError(
        `bars for ${day.date} arrive after ${this.#lastDate}: days must move forward`,
      );
    }
    if (
      day.symbols.length !== this.symbols.length ||
      day.symbols.some((s, i) => s !== this.symbols[i])
    ) {
      throw new InvalidInputError(
        `bars for ${day.date} do not cover the universe in its order (${this.symbols.join(',')})`,
      );
    }
    for (const field of BAR_FIELDS) {
      const values = day[field];
      for (let s = 0; s < values.length; s++) {
        const v = values[s]!;
        if (!(Number.isFinite(v) && (v > 0 || (field === 'volume' && v === 0)))) {
          throw new InvalidInputError(
            `${this.symbols[s]} ${field} on ${day.date} is ${v}: not a usable value`,
          );
        }
      }
    }
  }

  /** Plain JSON for the state store. */
  toJSON(): MarketStateJson {
    const b = this.#banks;
    return {
      symbols: [...this.symbols],
      session: this.#session,
      lastDate: this.#lastDate,
      indicators: {
        fastSma: b.fastSma.toJSON(),
        slowSma: b.slowSma.toJSON(),
        trendSma: b.trendSma.toJSON(),
        rsi: b.rsi.toJSON(),
        atr: b.atr.toJSON(),
        bollinger: b.bollinger.toJSON(),
        volumeRatio: b.volumeRatio.toJSON(),
        volatility: b.volatility.toJSON(),
        returns: b.returns.toJSON(),
        returnWindow: b.returnWindow.toJSON(),
      },
      previous: {
        rsi: encode(this.#previousRsi),
        fast: encode(this.#previousFast),
        slow: encode(this.#previousSlow),
        closesAboveUpper: encode(this.#closesAboveUpper),
        close: encode(this.#close),
      },
      ml: this.#ml?.toJSON() ?? null,
    };
  }

  /** Restores a state saved by toJSON under the same config. */
  static fromJSON(json: MarketStateJson, config: TradingConfig): MarketState {
    const i = json.indicators;
    const banks: Banks = {
      fastSma: SmaBank.fromJSON(i.fastSma),
      slowSma: SmaBank.fromJSON(i.slowSma),
      trendSma: SmaBank.fromJSON(i.trendSma),
      rsi: RsiBank.fromJSON(i.rsi),
      atr: AtrBank.fromJSON(i.atr),
      bollinger: BollingerBank.fromJSON(i.bollinger),
      volumeRatio: VolumeRatioBank.fromJSON(i.volumeRatio),
      volatility: VolatilityBank.fromJSON(i.volatility),
      returns: ReturnsBank.fromJSON(i.returns),
      returnWindow: ReturnWindowBank.fromJSON(i.returnWindow),
    };
    const ml = json.ml
      ? MlMomentumModel.fromJSON(json.ml, json.symbols.length, config.strategies['ml-momentum'])
      : null;
    const state = new MarketState(json.symbols, banks, ml);
    state.#session = json.session;
    state.#lastDate = json.lastDate;
    decodeInto(json.previous.rsi, state.#previousRsi, 'previous RSI');
    decodeInto(json.previous.fast, state.#previousFast, 'previous fast SMA');
    decodeInto(json.previous.slow, state.#previousSlow, 'previous slow SMA');
    decodeInto(json.previous.closesAboveUpper, state.#closesAboveUpper, 'closes above the band');
    decodeInto(json.previous.close, state.#close, 'closes');
    return state;
  }
}
