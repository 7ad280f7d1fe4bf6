import * as z from 'zod';
import type { StrategyId, TradingConfig } from '../config.js';
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
import {
  CountSchema,
  decodeState,
  fillFloats,
  JsonNumbersSchema,
  jsonNumbers,
} from '../state-codec.js';
import type { DayFeatures } from './day-features.js';
import { MlMomentumJsonSchema, MlMomentumModel, mlWarmUpSessions } from './ml-momentum-model.js';

// The volume ratio compares today's volume with its 20-day average, as the spec's rules state it
const VOLUME_AVERAGE_DAYS = 20;
// Volatility of returns is a model feature; 20 sessions is one trading month
const VOLATILITY_DAYS = 20;

// A first run's warm-up is never shorter, whatever the config asks
const MIN_WARM_UP_SESSIONS = 300;
// Wilder's smoothing (RSI, ATR) keeps (1 - 1/period)^n of its seed after n sessions: 20 periods
// leave about 1e-9 of it
const SMOOTHING_PERIODS = 20;

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;
const BAR_FIELDS = [...PRICE_FIELDS, 'volume'] as const;

/** The indicator banks; those no enabled strategy reads are left out (null). */
interface Banks {
  readonly fastSma: SmaBank | null;
  readonly slowSma: SmaBank | null;
  readonly trendSma: SmaBank | null;
  readonly rsi: RsiBank | null;
  readonly atr: AtrBank;
  readonly bollinger: BollingerBank | null;
  readonly volumeRatio: VolumeRatioBank | null;
  readonly volatility: VolatilityBank | null;
  readonly returns: ReturnsBank;
  readonly returnWindow: ReturnWindowBank;
}

// Which strategies read each optional bank; ATR (sizing), returns and the correlation window
// serve every strategy. ml-momentum's features read RSI, volatility and the volume ratio
const READERS = {
  fastSma: ['ma-crossover'],
  slowSma: ['ma-crossover'],
  trendSma: ['news-sentiment'],
  rsi: ['rsi-mean-reversion', 'ml-momentum'],
  bollinger: ['volatility-breakout'],
  volumeRatio: ['ma-crossover', 'volatility-breakout', 'ml-momentum'],
  volatility: ['ml-momentum'],
} as const satisfies Partial<Record<keyof Banks, readonly StrategyId[]>>;

const isRead = (bank: keyof typeof READERS, config: TradingConfig) =>
  READERS[bank].some((id) => config.strategies.enabled.includes(id));

const MarketStateJsonSchema = z.object({
  symbols: z.array(z.string()),
  session: CountSchema,
  lastDate: z.string().nullable(),
  indicators: z.object({
    fastSma: SmaBank.schema.nullable(),
    slowSma: SmaBank.schema.nullable(),
    trendSma: SmaBank.schema.nullable(),
    rsi: RsiBank.schema.nullable(),
    atr: AtrBank.schema,
    bollinger: BollingerBank.schema.nullable(),
    volumeRatio: VolumeRatioBank.schema.nullable(),
    volatility: VolatilityBank.schema.nullable(),
    returns: ReturnsBank.schema,
    returnWindow: ReturnWindowBank.schema,
  }) satisfies z.ZodType<Banks>,
  previous: z.object({
    rsi: JsonNumbersSchema,
    fast: JsonNumbersSchema,
    slow: JsonNumbersSchema,
    closesAboveUpper: JsonNumbersSchema,
    close: JsonNumbersSchema,
  }),
  ml: MlMomentumJsonSchema.nullable(),
});
/** The saved form of a MarketState. */
export type MarketStateJson = z.input<typeof MarketStateJsonSchema>;

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
  /** All NaN: what a strategy sees of a feature no enabled strategy needed computed */
  readonly #notComputed: Float64Array;
  /** The last symbol list found to match the universe: a run passes the same array every day */
  #checkedSymbols: readonly string[] | null = null;

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
    this.#notComputed = nan();
  }

  /** A state that has seen no bars yet, for a universe and config. */
  static create(symbols: readonly string[], config: TradingConfig): MarketState {
    const n = symbols.length;
    const s = config.strategies;
    // A day's update costs what it computes: skip what no enabled strategy reads
    const when = <T>(bank: keyof typeof READERS, build: () => T): T | null =>
      isRead(bank, config) ? build() : null;
    const banks: Banks = {
      fastSma: when('fastSma', () => new SmaBank(n, s['ma-crossover'].fastPeriod)),
      slowSma: when('slowSma', () => new SmaBank(n, s['ma-crossover'].slowPeriod)),
      trendSma: when('trendSma', () => new SmaBank(n, s['news-sentiment'].trendPeriod)),
      rsi: when('rsi', () => new RsiBank(n, s['rsi-mean-reversion'].period)),
      atr: new AtrBank(n, config.sizing.atrPeriod),
      bollinger: when(
        'bollinger',
        () =>
          new BollingerBank(n, s['volatility-breakout'].period, s['volatility-breakout'].stdDevs),
      ),
      volumeRatio: when('volumeRatio', () => new VolumeRatioBank(n, VOLUME_AVERAGE_DAYS)),
      volatility: when('volatility', () => new VolatilityBank(n, VOLATILITY_DAYS)),
      returns: new ReturnsBank(n),
      returnWindow: new ReturnWindowBank(n, config.correlation.lookbackDays),
    };
    // The model costs most of a day's update: build it only when its strategy can trade
    const ml = s.enabled.includes('ml-momentum') ? new MlMomentumModel(n, s['ml-momentum']) : null;
    return new MarketState(symbols, banks, ml);
  }

  /**
   * The sessions of history a state built from nothing must see before it decides as one built
   * over all history does: every window full, the smoothed indicators settled, and the ml model
   * fitted as the full history fitted it. A first run warms up on at least this many.
   */
  static warmUpSessions(config: TradingConfig): number {
    const s = config.strategies;
    const rsi = s['rsi-mean-reversion'].period;
    const windows = [
      s['ma-crossover'].slowPeriod,
      s['news-sentiment'].trendPeriod,
      s['volatility-breakout'].period,
      config.correlation.lookbackDays + 1,
      VOLUME_AVERAGE_DAYS,
      VOLATILITY_DAYS + 1,
      SMOOTHING_PERIODS * rsi,
      SMOOTHING_PERIODS * config.sizing.atrPeriod,
    ];
    const ml = s.enabled.includes('ml-momentum')
      ? mlWarmUpSessions(
          s['ml-momentum'],
          Math.max(SMOOTHING_PERIODS * rsi, VOLATILITY_DAYS + 1, VOLUME_AVERAGE_DAYS),
        )
      : 0;
    return Math.max(MIN_WARM_UP_SESSIONS, ...windows, ml);
  }

  /** Each symbol's close of the last day processed (NaN before the first), valid until the next. */
  get lastClose(): Float64Array {
    return this.#close;
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
    if (b.rsi) this.#previousRsi.set(b.rsi.values);
    if (b.fastSma) this.#previousFast.set(b.fastSma.values);
    if (b.slowSma) this.#previousSlow.set(b.slowSma.values);

    // #validate has checked every value, stricter than the banks would: skip their own checks
    b.fastSma?.updateValidated(day.close);
    b.slowSma?.updateValidated(day.close);
    b.trendSma?.updateValidated(day.close);
    b.rsi?.updateValidated(day.close);
    b.atr.updateValidated(day.high, day.low, day.close);
    b.bollinger?.updateValidated(day.close);
    b.volumeRatio?.updateValidated(day.volume);
    b.volatility?.updateValidated(day.close);
    b.returns.updateValidated(day.close);
    b.returnWindow.updateValidated(day.close);
    this.#close.set(day.close);

    if (b.bollinger) {
      const upper = b.bollinger.upper;
      for (let s = 0; s < this.symbols.length; s++) {
        this.#closesAboveUpper[s] = day.close[s]! > upper[s]! ? this.#closesAboveUpper[s]! + 1 : 0;
      }
    }
    if (this.#ml) {
      // READERS guarantees these banks whenever the model exists
      this.#ml.update(day.date, day.close, {
        rsi: b.rsi!.values,
        volatility: b.volatility!.values,
        volumeRatio: b.volumeRatio!.values,
      });
    }
    this.#session += 1;
    this.#lastDate = day.date;
  }

  /** Today's features, as views valid until the next update. */
  features(): DayFeatures {
    if (this.#lastDate === null) throw new InvalidInputError('market state has no data yet');
    const b = this.#banks;
    const none = this.#notComputed;
    return {
      date: this.#lastDate,
      session: this.#session,
      symbols: this.symbols,
      close: this.#close,
      dailyReturn: b.returns.values,
      rsi: b.rsi?.values ?? none,
      previousRsi: this.#previousRsi,
      atr: b.atr.values,
      fastSma: b.fastSma?.values ?? none,
      slowSma: b.slowSma?.values ?? none,
      previousFastSma: this.#previousFast,
      previousSlowSma: this.#previousSlow,
      trendSma: b.trendSma?.values ?? none,
      bollingerUpper: b.bollinger?.upper ?? none,
      bollingerMiddle: b.bollinger?.middle ?? none,
      closesAboveUpper: this.#closesAboveUpper,
      volumeRatio: b.volumeRatio?.values ?? none,
      mlProbability: this.#ml?.probability ?? none,
    };
  }

  /** Copies symbol s's return window (oldest first) into out; false until the window is full. */
  returnWindow(s: number, out: Float64Array): boolean {
    return this.#banks.returnWindow.window(s, out);
  }

  /** The length of the correlation window. */
  get returnWindowLength(): number {
    return this.#banks.returnWindow.period;
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
    if (day.symbols !== this.#checkedSymbols) {
      if (
        day.symbols.length !== this.symbols.length ||
        day.symbols.some((s, i) => s !== this.symbols[i])
      ) {
        throw new InvalidInputError(
          `bars for ${day.date} do not cover the universe in its order (${this.symbols.join(',')})`,
        );
      }
      this.#checkedSymbols = day.symbols;
    }
    const { open, high, low, close, volume } = day;
    const n = this.symbols.length;
    for (const field of BAR_FIELDS) {
      if (day[field].length !== n) {
        throw new InvalidInputError(
          `bars for ${day.date} have ${day[field].length} ${field} values for ${n} symbols`,
        );
      }
    }
    // One pass over the five fields, as this runs for every symbol every day. A NaN fails every
    // comparison and turns Math.min and Math.max into NaN, so each test also rejects it
    for (let s = 0; s < n; s++) {
      const v = volume[s]!;
      const lowest = Math.min(open[s]!, high[s]!, low[s]!, close[s]!);
      const highest = Math.max(open[s]!, high[s]!, low[s]!, close[s]!, v);
      if (!(lowest > 0 && highest < Number.POSITIVE_INFINITY && v >= 0)) this.#unusable(day, s);
    }
  }

  #unusable(day: DayBars, s: number): never {
    const field =
      PRICE_FIELDS.find((f) => !(day[f][s]! > 0 && day[f][s]! < Number.POSITIVE_INFINITY)) ??
      'volume';
    throw new InvalidInputError(
      `${this.symbols[s]} ${field} on ${day.date} is ${day[field][s]}: not a usable value`,
    );
  }

  #previous() {
    return {
      rsi: this.#previousRsi,
      fast: this.#previousFast,
      slow: this.#previousSlow,
      closesAboveUpper: this.#closesAboveUpper,
      close: this.#close,
    };
  }

  /** Plain JSON for the state store. */
  toJSON(): MarketStateJson {
    const b = this.#banks;
    return {
      symbols: [...this.symbols],
      session: this.#session,
      lastDate: this.#lastDate,
      indicators: {
        fastSma: b.fastSma?.toJSON() ?? null,
        slowSma: b.slowSma?.toJSON() ?? null,
        trendSma: b.trendSma?.toJSON() ?? null,
        rsi: b.rsi?.toJSON() ?? null,
        atr: b.atr.toJSON(),
        bollinger: b.bollinger?.toJSON() ?? null,
        volumeRatio: b.volumeRatio?.toJSON() ?? null,
        volatility: b.volatility?.toJSON() ?? null,
        returns: b.returns.toJSON(),
        returnWindow: b.returnWindow.toJSON(),
      },
      previous: jsonNumbers(this.#previous()),
      ml: this.#ml?.toJSON() ?? null,
    };
  }

  /**
   * Restores a state saved by toJSON under the same config; a state that does not fit throws
   * InvalidInputError naming each field path.
   */
  static fromJSON(json: unknown, config: TradingConfig): MarketState {
    const schema = MarketStateJsonSchema.transform((saved, ctx) => {
      const misfit = (path: PropertyKey[], message: string) =>
        ctx.issues.push({ code: 'custom', message, input: saved, path });
      const n = saved.symbols.length;
      const banks: Banks = saved.indicators;
      for (const [bank, built] of Object.entries(banks)) {
        if (built !== null && built.n !== n) {
          misfit(
            ['indicators', bank, 'n'],
            `expected ${n} series (one per symbol), got ${built.n}`,
          );
        }
      }
      for (const bank of Object.keys(READERS) as (keyof typeof READERS)[]) {
        if (banks[bank] === null && isRead(bank, config)) {
          const readers = READERS[bank].join(' / ');
          misfit(['indicators', bank], `missing, which ${readers} needs: rebuild it from history`);
        }
      }
      const params = config.strategies['ml-momentum'];
      if (saved.ml === null && config.strategies.enabled.includes('ml-momentum')) {
        misfit(['ml'], 'no ml-momentum model: rebuild it from history');
      }
      const ml = saved.ml && MlMomentumModel.restore(saved.ml, n, params, ctx, ['ml']);
      const state = new MarketState(saved.symbols, banks, ml);
      state.#session = saved.session;
      state.#lastDate = saved.lastDate;
      fillFloats(ctx, saved.previous, state.#previous(), ['previous']);
      return state;
    });
    return decodeState(schema, json, 'market');
  }
}
