import { describe, expect, it } from 'vitest';
import { parseConfig, type TradingConfig } from '../../../../shared/domain/config.js';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import { MlMomentumModel } from '../../../../shared/domain/features/ml-momentum-model.js';
import {
  fitLogistic,
  type LogisticModel,
  predictProbability,
} from '../../../../shared/domain/ml/logistic-regression.js';
import { periodKey } from '../../../../shared/domain/time.js';
import { throughJson } from '../../../fixtures/builders.js';
import { weekdays } from '../../../fixtures/calendar.js';
import { mulberry32 } from '../../../support/random.js';

type Params = TradingConfig['strategies']['ml-momentum'];
type Retrain = Params['retrain'];

const paramsFor = (retrain: Retrain = 'weekly', lookbackDays = 60): Params =>
  parseConfig({ strategies: { 'ml-momentum': { lookbackDays, retrain } } }).strategies[
    'ml-momentum'
  ];

/** What the model is fed for one symbol, day by day. */
interface Series {
  close: number[];
  rsi: number[];
  volatility: number[];
  volumeRatio: number[];
}

/** A random walk with indicator inputs that loosely follow it, so the labels are learnable but noisy. */
function randomSeries(days: number, seed: number, from = 0, start?: Series): Series {
  const random = mulberry32(seed);
  const series: Series = start
    ? {
        close: start.close.slice(0, from),
        rsi: start.rsi.slice(0, from),
        volatility: start.volatility.slice(0, from),
        volumeRatio: start.volumeRatio.slice(0, from),
      }
    : { close: [], rsi: [], volatility: [], volumeRatio: [] };
  let price = series.close.at(-1) ?? 100;
  for (let t = series.close.length; t < days; t++) {
    const change = (random() - 0.5) * 0.04;
    price *= 1 + change;
    series.close.push(price);
    series.rsi.push(50 + 800 * change + 20 * (random() - 0.5));
    series.volatility.push(0.01 + 0.02 * random());
    series.volumeRatio.push(0.5 + 1.5 * random());
  }
  return series;
}

const universeOf = (days: number, seed: number) =>
  [0, 1, 2].map((s) => randomSeries(days, seed * 10 + s));

/** Feeds day t of every series to the model. */
function feed(model: MlMomentumModel, date: string, universe: readonly Series[], t: number): void {
  model.update(
    date,
    Float64Array.from(universe, (s) => s.close[t]!),
    {
      rsi: Float64Array.from(universe, (s) => s.rsi[t]!),
      volatility: Float64Array.from(universe, (s) => s.volatility[t]!),
      volumeRatio: Float64Array.from(universe, (s) => s.volumeRatio[t]!),
    },
  );
}

/** Feeds every day to a model and copies its probabilities after each. */
function run(
  model: MlMomentumModel,
  dates: readonly string[],
  universe: readonly Series[],
  from = 0,
  to = dates.length,
): { probabilities: number[][]; trainKeys: (string | null)[] } {
  const probabilities: number[][] = [];
  const trainKeys: (string | null)[] = [];
  for (let t = from; t < to; t++) {
    feed(model, dates[t]!, universe, t);
    probabilities.push(Array.from(model.probability));
    // On gap-free data every symbol refits on the same session
    const keys = new Set(model.toJSON().trainedKeys);
    expect(keys.size).toBe(1);
    trainKeys.push([...keys][0]!);
  }
  return { probabilities, trainKeys };
}

/**
 * The model's contract written out the long way: features of day t from the closes and indicators
 * up to t, a refit on the first session of each period from the window's rows whose horizon-day
 * label is known at that close, and today's row through the latest fit.
 */
function reference(dates: readonly string[], universe: readonly Series[], params: Params) {
  const { lookbackDays, horizonDays, l2, retrain } = params;
  const row = (s: Series, t: number) =>
    t < 20
      ? null
      : [
          s.close[t]! / s.close[t - 1]! - 1,
          s.close[t]! / s.close[t - 5]! - 1,
          s.close[t]! / s.close[t - 20]! - 1,
          s.rsi[t]! / 100,
          s.volatility[t]!,
          Math.log(s.volumeRatio[t]!),
        ];
  let models: LogisticModel[] | null = null;
  let lastKey: string | null = null;
  const probabilities: number[][] = [];
  for (let t = 0; t < dates.length; t++) {
    const key = periodKey(dates[t]!, retrain);
    const first = t - lookbackDays + 1;
    if (key !== lastKey && first >= 20) {
      models = universe.map((s) => {
        const samples = lookbackDays - horizonDays;
        const x = new Float64Array(samples * 6);
        const y = new Uint8Array(samples);
        for (let i = 0; i < samples; i++) {
          x.set(row(s, first + i)!, i * 6);
          y[i] = s.close[first + i + horizonDays]! > s.close[first + i]! ? 1 : 0;
        }
        return fitLogistic(x, y, samples, 6, { l2 });
      });
      lastKey = key;
    }
    probabilities.push(
      universe.map((s, i) => {
        const today = row(s, t);
        return models && today ? predictProbability(models[i]!, today) : Number.NaN;
      }),
    );
  }
  return probabilities;
}

const DAYS = 260;
const dates = weekdays('2021-01-04', DAYS);

describe('MlMomentumModel', () => {
  it('predicts what a refit on the labelled window gives, every day', () => {
    const params = paramsFor('weekly');
    const universe = universeOf(DAYS, 1);

    const { probabilities } = run(new MlMomentumModel(3, params), dates, universe);

    // Newton's method stops within its tolerance of the optimum, wherever it starts from
    const expected = reference(dates, universe, params);
    const gaps = probabilities.flatMap((row, t) =>
      row.flatMap((p, s) => {
        const want = expected[t]![s]!;
        const same = Number.isNaN(want) ? Number.isNaN(p) : Math.abs(p - want) <= 1e-6;
        return same ? [] : [{ t, s, p, want }];
      }),
    );
    expect(gaps).toEqual([]);
    // Warm-up: 20 sessions for the 20-day return, then a full window of 60 rows
    expect(probabilities.findIndex((p) => p.every(Number.isFinite))).toBe(20 + 60 - 1);
  });

  it.each([100, 157, 201])(
    'gives the same probabilities through day %i whatever follows it',
    (t) => {
      const params = paramsFor('weekly');
      const universe = universeOf(DAYS, 2);
      const altered = universe.map((s, i) => randomSeries(DAYS, 99 + i, t + 1, s));

      const original = run(new MlMomentumModel(3, params), dates, universe).probabilities;
      const changed = run(new MlMomentumModel(3, params), dates, altered).probabilities;

      expect(changed.slice(0, t + 1)).toEqual(original.slice(0, t + 1));
      expect(original[t]!.every(Number.isFinite)).toBe(true);
      // The altered future does reach the model once it happens
      expect(changed.slice(t + 1)).not.toEqual(original.slice(t + 1));
    },
  );

  it.each(['weekly', 'monthly', 'quarterly'] as const)(
    'retrains %s, on the first session of each period only',
    (retrain) => {
      const days = 400;
      const allDates = weekdays('2021-01-04', days);
      const universe = universeOf(days, 3);

      const { trainKeys } = run(new MlMomentumModel(3, paramsFor(retrain)), allDates, universe);

      const firstTrain = trainKeys.findIndex((key) => key !== null);
      expect(firstTrain).toBe(79);
      const retrainedOn = trainKeys.flatMap((key, t) =>
        t > firstTrain && key !== trainKeys[t - 1] ? [t] : [],
      );
      const periodStarts = allDates.flatMap((date, t) =>
        t > firstTrain && periodKey(date, retrain) !== periodKey(allDates[t - 1]!, retrain)
          ? [t]
          : [],
      );
      expect(retrainedOn).toEqual(periodStarts);
      expect(retrainedOn.length).toBeGreaterThan(retrain === 'quarterly' ? 2 : 5);
      for (let t = firstTrain; t < days; t++) {
        expect(trainKeys[t]).toBe(periodKey(allDates[t]!, retrain));
      }
    },
  );

  it('retrains on the Tuesday of a week whose Monday is a holiday', () => {
    // 2021-05-31 is Memorial Day
    const holidayDates = weekdays('2021-01-04', DAYS + 1).filter((date) => date !== '2021-05-31');
    const universe = universeOf(DAYS, 4);

    const { trainKeys } = run(new MlMomentumModel(3, paramsFor('weekly')), holidayDates, universe);

    const tuesday = holidayDates.indexOf('2021-06-01');
    expect(trainKeys[tuesday - 1]).toBe('2021-W21');
    expect(trainKeys[tuesday]).toBe('2021-W22');
  });

  it('changes its probability on a stretch of identical feature rows only when it retrains', () => {
    // Random sessions, then 45 sessions of one flat close and constant indicators: from 20 sessions
    // into the stretch every feature row is the same, so only a refit can move the prediction
    const flatFrom = 150;
    const days = flatFrom + 45;
    const universe = universeOf(flatFrom, 5).map((s) => {
      const last = s.close.at(-1)!;
      for (let t = flatFrom; t < days; t++) {
        s.close.push(last);
        s.rsi.push(50);
        s.volatility.push(0.02);
        s.volumeRatio.push(1);
      }
      return s;
    });
    const flatDates = weekdays('2021-01-04', days);

    const { probabilities } = run(new MlMomentumModel(3, paramsFor('weekly')), flatDates, universe);

    const moved: number[] = [];
    const weekStarts: number[] = [];
    for (let t = flatFrom + 21; t < days; t++) {
      expect(probabilities[t]!.every(Number.isFinite)).toBe(true);
      if (probabilities[t]!.some((p, s) => p !== probabilities[t - 1]![s])) moved.push(t);
      const week = periodKey(flatDates[t]!, 'weekly');
      if (week !== periodKey(flatDates[t - 1]!, 'weekly')) weekStarts.push(t);
    }
    expect(weekStarts.length).toBeGreaterThanOrEqual(4);
    expect(moved).toEqual(weekStarts);
  });

  it('is deterministic: two runs are bit-identical', () => {
    const universe = universeOf(DAYS, 6);
    const first = new MlMomentumModel(3, paramsFor('weekly'));
    const second = new MlMomentumModel(3, paramsFor('weekly'));

    const a = run(first, dates, universe).probabilities;
    const b = run(second, dates, universe).probabilities;

    const bits = (rows: number[][]) =>
      rows.map((row) => Array.from(new BigUint64Array(Float64Array.from(row).buffer), String));
    expect(bits(b)).toEqual(bits(a));
    expect(JSON.stringify(second.toJSON())).toBe(JSON.stringify(first.toJSON()));
  });

  it.each([40, 79, 80, 133])('continues identically after a JSON round trip on day %i', (t) => {
    const params = paramsFor('weekly');
    const universe = universeOf(DAYS, 7);
    const uninterrupted = run(new MlMomentumModel(3, params), dates, universe).probabilities;
    const saved = new MlMomentumModel(3, params);
    run(saved, dates, universe, 0, t + 1);

    const restored = MlMomentumModel.fromJSON(throughJson(saved.toJSON()), 3, params);
    const after = run(restored, dates, universe, t + 1).probabilities;

    expect(after).toEqual(uninterrupted.slice(t + 1));
  });

  it.each([79, 133])(
    'reports the same probability right after a JSON round trip on day %i',
    (t) => {
      const params = paramsFor('weekly');
      const saved = new MlMomentumModel(3, params);
      run(saved, dates, universeOf(DAYS, 7), 0, t + 1);

      const restored = MlMomentumModel.fromJSON(throughJson(saved.toJSON()), 3, params);

      expect(saved.probability.every(Number.isFinite)).toBe(true);
      expect(Array.from(restored.probability)).toEqual(Array.from(saved.probability));
    },
  );

  it.each([
    ['cut short', (text: string) => text.slice(0, -12), /expected base64 of \d+ bytes/],
    ['a number list', () => [0.1, 0.2], /expected string, received array/],
  ])('refuses a saved feature ring that is %s, naming the ring', (_, spoil, reason) => {
    const params = paramsFor('weekly');
    const saved = new MlMomentumModel(3, params);
    run(saved, dates, universeOf(DAYS, 7), 0, 90);
    const json = throughJson(saved.toJSON());

    const restore = () =>
      MlMomentumModel.fromJSON({ ...json, features: spoil(json.features) as string }, 3, params);

    expect(restore).toThrow(InvalidInputError);
    expect(restore).toThrow(/^ml-momentum state: features: /);
    expect(restore).toThrow(reason);
  });

  it('holds back only the symbol whose window has a gap, until the gap has left it', () => {
    const params = paramsFor('weekly');
    const universe = universeOf(DAYS, 8);
    // A session without trades: the volume ratio is 0, so the log volume ratio is -∞
    const gapDay = 120;
    universe[1]!.volumeRatio[gapDay] = 0;
    const model = new MlMomentumModel(3, params);
    const keys: (string | null)[][] = [];
    const probabilities: number[][] = [];
    for (let t = 0; t < DAYS; t++) {
      feed(model, dates[t]!, universe, t);
      keys.push(model.toJSON().trainedKeys);
      probabilities.push(Array.from(model.probability));
    }

    const week = (t: number) => periodKey(dates[t]!, 'weekly');
    // The gap row is a training row once its label is known (horizonDays later) and until it is
    // lookbackDays old; meanwhile the other symbols retrain every week
    const gapTrains = gapDay + params.horizonDays;
    const cleanAgain = gapDay + params.lookbackDays;
    for (let t = gapTrains; t < cleanAgain; t++) {
      expect(keys[t]![0]).toBe(week(t));
      expect(keys[t]![2]).toBe(week(t));
      expect(keys[t]![1]).toBe(keys[gapTrains - 1]![1]);
    }
    expect(keys[cleanAgain]![1]).toBe(week(cleanAgain));
    // No prediction from a row with a gap; the next day's row is whole again
    expect(probabilities[gapDay]![1]).toBeNaN();
    expect(probabilities[gapDay]![0]).not.toBeNaN();
    expect(probabilities[gapDay + 1]![1]).not.toBeNaN();
  });

  it('refuses a horizon as long as the look-back', () => {
    const params = { ...paramsFor('weekly', 30), horizonDays: 30 };

    expect(() => new MlMomentumModel(3, params)).toThrow(InvalidInputError);
  });
});
