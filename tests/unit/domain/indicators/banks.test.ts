import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import {
  AtrBank,
  type AtrBankState,
  atr,
  BollingerBank,
  type BollingerBankState,
  bollinger,
  type IndicatorBank,
  ReturnsBank,
  type ReturnsBankState,
  ReturnWindowBank,
  RollingStdBank,
  type RollingStdBankState,
  RsiBank,
  type RsiBankState,
  returns,
  rollingStd,
  rsi,
  SmaBank,
  type SmaBankState,
  sma,
  VolatilityBank,
  type VolatilityBankState,
  VolumeRatioBank,
  type VolumeRatioBankState,
  volumeRatio,
} from '../../../../shared/domain/indicators/index.js';
import { throughJson } from '../../../fixtures/builders.js';
import { aSymbol, type Bars, expectSeriesClose, rowAt } from './support.js';

// Each bank against its batch function: the same numbers at every bar, whether or not its state
// went through JSON on the way

type Symbol = Bars;

interface BankCase<B> {
  name: string;
  /** Bars each series needs before isReady */
  warmup: number;
  batch(symbol: Symbol): Float64Array[];
  create(n: number): B;
  restore(state: unknown): B;
  update(bank: B, universe: readonly Symbol[], t: number): void;
  read(bank: B): Float64Array[];
}

function bankCase<B extends IndicatorBank<unknown>>(
  spec: BankCase<B>,
): BankCase<IndicatorBank<unknown>> {
  return spec as unknown as BankCase<IndicatorBank<unknown>>;
}

const closes = (universe: readonly Symbol[], t: number) =>
  rowAt(
    universe.map((symbol) => symbol.close),
    t,
  );

const cases = [
  bankCase({
    name: 'SmaBank',
    warmup: 10,
    batch: (s) => [sma(s.close, 10)],
    create: (n) => new SmaBank(n, 10),
    restore: (state) => SmaBank.fromJSON(state as SmaBankState),
    update: (bank, universe, t) => bank.update(closes(universe, t)),
    read: (bank) => [bank.values],
  }),
  bankCase({
    name: 'RsiBank',
    warmup: 15,
    batch: (s) => [rsi(s.close)],
    create: (n) => new RsiBank(n),
    restore: (state) => RsiBank.fromJSON(state as RsiBankState),
    update: (bank, universe, t) => bank.update(closes(universe, t)),
    read: (bank) => [bank.values],
  }),
  bankCase({
    name: 'AtrBank',
    warmup: 15,
    batch: (s) => [atr(s.high, s.low, s.close)],
    create: (n) => new AtrBank(n),
    restore: (state) => AtrBank.fromJSON(state as AtrBankState),
    update: (bank, universe, t) =>
      bank.update(
        rowAt(
          universe.map((s) => s.high),
          t,
        ),
        rowAt(
          universe.map((s) => s.low),
          t,
        ),
        closes(universe, t),
      ),
    read: (bank) => [bank.values],
  }),
  bankCase({
    name: 'BollingerBank',
    warmup: 20,
    batch: (s) => {
      const { upper, middle, lower } = bollinger(s.close, 20, 2.5);
      return [middle, upper, lower];
    },
    create: (n) => new BollingerBank(n, 20, 2.5),
    restore: (state) => BollingerBank.fromJSON(state as BollingerBankState),
    update: (bank, universe, t) => bank.update(closes(universe, t)),
    read: (bank) => [bank.middle, bank.upper, bank.lower],
  }),
  bankCase({
    name: 'RollingStdBank',
    warmup: 7,
    batch: (s) => [rollingStd(s.close, 7)],
    create: (n) => new RollingStdBank(n, 7),
    restore: (state) => RollingStdBank.fromJSON(state as RollingStdBankState),
    update: (bank, universe, t) => bank.update(closes(universe, t)),
    read: (bank) => [bank.values],
  }),
  bankCase({
    name: 'ReturnsBank',
    warmup: 2,
    batch: (s) => [returns(s.close)],
    create: (n) => new ReturnsBank(n),
    restore: (state) => ReturnsBank.fromJSON(state as ReturnsBankState),
    update: (bank, universe, t) => bank.update(closes(universe, t)),
    read: (bank) => [bank.values],
  }),
  bankCase({
    name: 'VolatilityBank',
    warmup: 21,
    batch: (s) => {
      // The std of the returns from the second bar on, one bar later
      const expected = new Float64Array(s.close.length).fill(Number.NaN);
      expected.set(rollingStd(returns(s.close).subarray(1), 20), 1);
      return [expected];
    },
    create: (n) => new VolatilityBank(n),
    restore: (state) => VolatilityBank.fromJSON(state as VolatilityBankState),
    update: (bank, universe, t) => bank.update(closes(universe, t)),
    read: (bank) => [bank.values],
  }),
  bankCase({
    name: 'VolumeRatioBank',
    warmup: 20,
    batch: (s) => [volumeRatio(s.volume)],
    create: (n) => new VolumeRatioBank(n),
    restore: (state) => VolumeRatioBank.fromJSON(state as VolumeRatioBankState),
    update: (bank, universe, t) =>
      bank.update(
        rowAt(
          universe.map((s) => s.volume),
          t,
        ),
      ),
    read: (bank) => [bank.values],
  }),
];

const LENGTH = 260;
const universe: Symbol[] = [11, 22, 33, 44, 55].map((seed) => aSymbol(LENGTH, seed));

// Streams the universe through a bank; `restoreAfter(t)` says whether the state goes through JSON
// after bar t. Returns, per output, per series, the value after every bar
function stream(
  spec: BankCase<IndicatorBank<unknown>>,
  restoreAfter: (t: number) => boolean,
): Float64Array[][] {
  let bank = spec.create(universe.length);
  const outputs = spec.batch(universe[0]!).length;
  const seen = Array.from({ length: outputs }, () => universe.map(() => new Float64Array(LENGTH)));
  for (let t = 0; t < LENGTH; t++) {
    spec.update(bank, universe, t);
    if (restoreAfter(t)) bank = spec.restore(throughJson(bank.toJSON()));
    const current = spec.read(bank);
    for (let o = 0; o < outputs; o++) {
      for (let i = 0; i < universe.length; i++) seen[o]![i]![t] = current[o]![i]!;
    }
  }
  return seen;
}

describe.each(cases)('$name', (spec) => {
  const expected = universe.map((symbol) => spec.batch(symbol));

  it.each([
    { how: 'uninterrupted', restoreAfter: () => false },
    { how: 'restored from JSON after every bar', restoreAfter: () => true },
    { how: 'restored from JSON once, mid-warm-up', restoreAfter: (t: number) => t === 4 },
    { how: 'restored from JSON once, after warm-up', restoreAfter: (t: number) => t === 150 },
  ])('matches the batch function at every bar, $how', ({ restoreAfter }) => {
    const seen = stream(spec, restoreAfter);
    for (let i = 0; i < universe.length; i++) {
      for (let o = 0; o < seen.length; o++) expectSeriesClose(seen[o]![i]!, expected[i]![o]!);
    }
  });

  it('is ready exactly when its value is defined', () => {
    const bank = spec.create(universe.length);
    for (let t = 0; t < LENGTH; t++) {
      spec.update(bank, universe, t);
      const values = spec.read(bank)[0]!;
      for (let i = 0; i < universe.length; i++) {
        expect(bank.isReady(i)).toBe(t + 1 >= spec.warmup);
        expect(Number.isNaN(values[i]!)).toBe(t + 1 < spec.warmup);
      }
    }
  });

  it('saves a plain JSON state: no NaN, nothing lost in the round trip', () => {
    const bank = spec.create(universe.length);
    for (let t = 0; t < 3; t++) spec.update(bank, universe, t);
    const state = bank.toJSON();
    expect(throughJson(state)).toEqual(state);
    expect(JSON.stringify(state)).not.toMatch(/NaN|Infinity/);
  });

  it('refuses a row of the wrong length, naming the argument, and keeps its state', () => {
    const bank = spec.create(universe.length);
    const before = JSON.stringify(bank.toJSON());
    expect(() => spec.update(bank, universe.slice(1), 0)).toThrow(RangeError);
    expect(() => spec.update(bank, universe.slice(1), 0)).toThrow(/has length 4, expected 5/);
    expect(JSON.stringify(bank.toJSON())).toBe(before);
  });

  it('refuses a state that does not fit', () => {
    const state = spec.create(3).toJSON() as Record<string, unknown>;
    expect(() => spec.restore({ ...state, n: 4 })).toThrow(InvalidInputError);
    expect(() => spec.restore(null)).toThrow(InvalidInputError);
  });

  it('rejects an out-of-range series index', () => {
    const bank = spec.create(2);
    expect(() => bank.isReady(2)).toThrow(RangeError);
    expect(() => bank.isReady(-1)).toThrow(RangeError);
  });
});

describe('bank inputs', () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a close of %s before changing any state',
    (bad) => {
      const bank = new RsiBank(3, 2);
      bank.update([10, 20, 30]);
      const before = JSON.stringify(bank.toJSON());
      expect(() => bank.update([11, bad, 31])).toThrow(InvalidInputError);
      expect(() => bank.update([11, bad, 31])).toThrow(/close\[1\]/);
      expect(JSON.stringify(bank.toJSON())).toBe(before);
    },
  );

  const ROWS = [
    [10, 20, 30],
    [11, 19, 33],
    [12, 21, 29],
    [10.5, 22, 31],
    [10, 22.5, 30],
  ];

  it.each([
    { name: 'SmaBank', make: () => new SmaBank(3, 2) },
    { name: 'RsiBank', make: () => new RsiBank(3, 2) },
    { name: 'BollingerBank', make: () => new BollingerBank(3, 2) },
    { name: 'ReturnsBank', make: () => new ReturnsBank(3) },
    { name: 'ReturnWindowBank', make: () => new ReturnWindowBank(3, 2) },
    { name: 'VolatilityBank', make: () => new VolatilityBank(3, 2) },
    { name: 'VolumeRatioBank', make: () => new VolumeRatioBank(3, 2) },
  ])('$name.updateValidated advances as update does and still refuses a short row', ({ make }) => {
    const checked = make();
    const trusted = make();
    for (const row of ROWS) {
      checked.update(row);
      trusted.updateValidated(row);
    }
    expect(trusted.toJSON()).toEqual(checked.toJSON());
    expect(() => trusted.updateValidated([1, 2])).toThrow(/has length 2, expected 3/);
  });

  it('AtrBank.updateValidated advances as update does and still refuses a short row', () => {
    const checked = new AtrBank(3, 2);
    const trusted = new AtrBank(3, 2);
    for (const row of ROWS) {
      const high = row.map((close) => close + 1);
      const low = row.map((close) => close - 1);
      checked.update(high, low, row);
      trusted.updateValidated(high, low, row);
    }
    expect(trusted.toJSON()).toEqual(checked.toJSON());
    expect(() => trusted.updateValidated([2, 2, 2], [1], [1.5, 1.5, 1.5])).toThrow(
      /low has length 1/,
    );
  });

  it('names the ATR row that is short', () => {
    const bank = new AtrBank(2, 3);
    expect(() => bank.update([2, 2], [1], [1.5, 1.5])).toThrow(/low has length 1/);
  });

  it.each([
    { what: 'n', make: () => new SmaBank(-1, 3) },
    { what: 'n', make: () => new SmaBank(1.5, 3) },
    { what: 'period', make: () => new SmaBank(2, 0) },
    { what: 'period', make: () => new RsiBank(2, 2.5) },
    { what: 'stdDevs', make: () => new BollingerBank(2, 20, Number.NaN) },
  ])('refuses a bad $what at construction', ({ what, make }) => {
    expect(make).toThrow(RangeError);
    expect(make).toThrow(new RegExp(`^${what}`));
  });

  it('works with zero series', () => {
    const bank = new VolatilityBank(0, 3);
    for (let t = 0; t < 5; t++) bank.update([]);
    expect(bank.values).toHaveLength(0);
    expect(VolatilityBank.fromJSON(throughJson(bank.toJSON())).values).toHaveLength(0);
  });
});
