/** Batch indicators, ours against four JavaScript libraries, on the same generated series. */
import { IndicatorsSync } from '@ixjb94/indicators';
import * as indicatorts from 'indicatorts';
import * as technicalindicators from 'technicalindicators';
import * as tradingSignals from 'trading-signals';
import {
  atr,
  bollinger,
  correlation,
  ema,
  returns,
  rollingCorrelation,
  rollingStd,
  rsi,
  sma,
} from '../../shared/domain/indicators/index.js';
import type { MarketHistory } from '../../shared/domain/market/history.js';
import { type SampleOptions, sampleInterleaved } from './measure.js';

export const LIBRARIES = [
  '@ixjb94/indicators',
  'indicatorts',
  'trading-signals',
  'technicalindicators',
] as const;
export type Library = (typeof LIBRARIES)[number];

const PERIOD = {
  sma: 20,
  ema: 20,
  rsi: 14,
  atr: 14,
  bollinger: 20,
  rollingStd: 20,
  correlation: 60,
};
const STD_DEVS = 2;
// Correctness is checked on the first series of the universe; that is plenty of values
const CHECKED_SERIES = 20;

interface Candle {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** Per-symbol series, as typed arrays for us and as what each library takes. */
export interface IndicatorInputs {
  readonly series: number;
  readonly bars: number;
  readonly close: readonly Float64Array[];
  readonly high: readonly Float64Array[];
  readonly low: readonly Float64Array[];
  /** Daily returns, input of the rolling correlation of symbol s with symbol s + 1 */
  readonly returns: readonly Float64Array[];
  readonly plainClose: readonly number[][];
  readonly plainHigh: readonly number[][];
  readonly plainLow: readonly number[][];
  /** trading-signals takes candles for ATR */
  readonly candles: readonly Candle[][];
}

/** Splits a day-major market into per-symbol series; all copying happens here, untimed. */
export function indicatorInputs(market: MarketHistory): IndicatorInputs {
  const series = market.symbols.length;
  const bars = market.dates.length;
  const column = (values: Float64Array, s: number) => {
    const out = new Float64Array(bars);
    for (let d = 0; d < bars; d++) out[d] = values[d * series + s]!;
    return out;
  };
  const close = Array.from({ length: series }, (_, s) => column(market.close, s));
  const high = Array.from({ length: series }, (_, s) => column(market.high, s));
  const low = Array.from({ length: series }, (_, s) => column(market.low, s));
  return {
    series,
    bars,
    close,
    high,
    low,
    // Bar 0 has no return (NaN); a flat first day keeps the NaN out of the rolling sums
    returns: close.map((values) => returns(values).fill(0, 0, 1)),
    plainClose: close.map((values) => Array.from(values)),
    plainHigh: high.map((values) => Array.from(values)),
    plainLow: low.map((values) => Array.from(values)),
    candles: close.map((values, s) =>
      Array.from(values, (value, d) => ({ high: high[s]![d]!, low: low[s]![d]!, close: value })),
    ),
  };
}

/** How a library's numbers compare with ours. */
export interface Check {
  readonly status: 'ok' | 'FAIL' | 'not compared';
  readonly maxAbsDiff: number | null;
  readonly maxRelDiff: number | null;
  readonly values: number;
  readonly note: string;
}

/** Throughput of one library on one indicator, or why there is none. */
export interface Result {
  readonly library: Library | 'ours';
  /** M bars/s; null when the library lacks the indicator */
  readonly throughput: number | null;
  readonly medianMs: number | null;
  readonly samples: number;
  readonly check: Check | null;
}

/** Every contender on one indicator. */
export interface IndicatorResult {
  readonly indicator: string;
  readonly label: string;
  readonly ours: Result;
  readonly peers: readonly Result[];
}

// One pass over every series, returning a checksum; and the outputs for series s, aligned to bars
interface Contender {
  readonly run: () => number;
  readonly outputs?: (s: number) => Float64Array[];
  /** Values before this index are left out: seeds differ, the recursion forgets them */
  readonly skip?: number;
  readonly absTol?: number;
  readonly relTol?: number;
  readonly note?: string;
}

interface Spec {
  readonly indicator: string;
  readonly label: string;
  readonly ours: Contender;
  readonly peers: Partial<Record<Library, Contender>>;
  readonly missing: Partial<Record<Library, string>>;
}

// Library outputs start later than ours; pad them with NaN so that index t is bar t
const alignRight = (values: ArrayLike<number | null | undefined>, length: number) => {
  const out = new Float64Array(length).fill(Number.NaN);
  const offset = length - values.length;
  for (let i = 0; i < values.length; i++) out[offset + i] = values[i] ?? Number.NaN;
  return out;
};
const last = <T>(values: ArrayLike<T>): T => values[values.length - 1]!;
const lastBand = (band: { middle: number } | null | undefined) => band?.middle ?? Number.NaN;
const bandsOf = (bands: readonly ({ upper: number; middle: number; lower: number } | null)[]) => {
  const pick = (key: 'upper' | 'middle' | 'lower') => bands.map((band) => band?.[key] ?? null);
  return [pick('upper'), pick('middle'), pick('lower')];
};

function specs(inputs: IndicatorInputs): Spec[] {
  const { series, bars, close, high, low, plainClose, plainHigh, plainLow, candles } = inputs;
  const each = (body: (s: number) => number) => () => {
    let sum = 0;
    for (let s = 0; s < series; s++) sum += body(s);
    return sum;
  };
  const ix = new IndicatorsSync();
  const tn = technicalindicators;
  const ts = tradingSignals;
  const it = indicatorts;
  const p = PERIOD;
  // After 300 bars a seed difference has decayed by (13/14)^300 ≈ 2e-10 (RSI, ATR) or
  // (19/21)^300 ≈ 1e-13 (EMA 20)
  const converged = 300;
  const pair = (s: number) => (s + 1) % series;

  return [
    {
      indicator: 'sma',
      label: `sma(${p.sma})`,
      ours: {
        run: each((s) => last(sma(close[s]!, p.sma))),
        outputs: (s) => [sma(close[s]!, p.sma)],
      },
      peers: {
        '@ixjb94/indicators': {
          run: each((s) => last(ix.sma(plainClose[s]!, p.sma))),
          outputs: (s) => [alignRight(ix.sma(plainClose[s]!, p.sma), bars)],
        },
        indicatorts: {
          run: each((s) => last(it.sma(plainClose[s]!, { period: p.sma }))),
          outputs: (s) => [alignRight(it.sma(plainClose[s]!, { period: p.sma }), bars)],
          skip: p.sma - 1,
          note: 'averages the first bars over what it has (skipped)',
        },
        'trading-signals': {
          run: each((s) => last(new ts.SMA(p.sma).updates(plainClose[s]!)) ?? 0),
          outputs: (s) => [alignRight(new ts.SMA(p.sma).updates(plainClose[s]!), bars)],
        },
        technicalindicators: {
          run: each((s) => last(tn.SMA.calculate({ period: p.sma, values: plainClose[s]! }))),
          outputs: (s) => [
            alignRight(tn.SMA.calculate({ period: p.sma, values: plainClose[s]! }), bars),
          ],
        },
      },
      missing: {},
    },
    {
      indicator: 'ema',
      label: `ema(${p.ema})`,
      ours: {
        run: each((s) => last(ema(close[s]!, p.ema))),
        outputs: (s) => [ema(close[s]!, p.ema)],
      },
      peers: {
        '@ixjb94/indicators': {
          run: each((s) => last(ix.ema(plainClose[s]!, p.ema))),
          outputs: (s) => [alignRight(ix.ema(plainClose[s]!, p.ema), bars)],
          skip: converged,
          note: 'seeded with the first value, ours with the SMA: compared from bar 300',
        },
        indicatorts: {
          run: each((s) => last(it.ema(plainClose[s]!, { period: p.ema }))),
          outputs: (s) => [alignRight(it.ema(plainClose[s]!, { period: p.ema }), bars)],
          skip: converged,
          note: 'seeded with the first value: compared from bar 300',
        },
        'trading-signals': {
          run: each((s) => last(new ts.EMA(p.ema).updates(plainClose[s]!)) ?? 0),
          outputs: (s) => [alignRight(new ts.EMA(p.ema).updates(plainClose[s]!), bars)],
          skip: converged,
          note: 'seeded with the first value: compared from bar 300',
        },
        technicalindicators: {
          run: each((s) => last(tn.EMA.calculate({ period: p.ema, values: plainClose[s]! }))),
          outputs: (s) => [
            alignRight(tn.EMA.calculate({ period: p.ema, values: plainClose[s]! }), bars),
          ],
        },
      },
      missing: {},
    },
    {
      indicator: 'rsi',
      label: `rsi(${p.rsi})`,
      ours: {
        run: each((s) => last(rsi(close[s]!, p.rsi))),
        outputs: (s) => [rsi(close[s]!, p.rsi)],
      },
      peers: {
        '@ixjb94/indicators': {
          run: each((s) => last(ix.rsi(plainClose[s]!, p.rsi))),
          outputs: (s) => [alignRight(ix.rsi(plainClose[s]!, p.rsi), bars)],
        },
        indicatorts: {
          run: each((s) => last(it.rsi(plainClose[s]!, { period: p.rsi }))),
          outputs: (s) => [alignRight(it.rsi(plainClose[s]!, { period: p.rsi }), bars)],
          skip: converged,
          note: 'Wilder average seeded over bars 0..13 with a zero first change: from bar 300',
        },
        'trading-signals': {
          run: each((s) => last(new ts.RSI(p.rsi).updates(plainClose[s]!)) ?? 0),
          outputs: (s) => [alignRight(new ts.RSI(p.rsi).updates(plainClose[s]!), bars)],
        },
        technicalindicators: {
          run: each((s) => last(tn.RSI.calculate({ period: p.rsi, values: plainClose[s]! }))),
          outputs: (s) => [
            alignRight(tn.RSI.calculate({ period: p.rsi, values: plainClose[s]! }), bars),
          ],
          absTol: 0.005 + 1e-9,
          note: 'rounds RSI to 2 decimals: tolerance 0.005',
        },
      },
      missing: {},
    },
    {
      indicator: 'atr',
      label: `atr(${p.atr})`,
      ours: {
        run: each((s) => last(atr(high[s]!, low[s]!, close[s]!, p.atr))),
        outputs: (s) => [atr(high[s]!, low[s]!, close[s]!, p.atr)],
      },
      peers: {
        '@ixjb94/indicators': {
          run: each((s) => last(ix.atr(plainHigh[s]!, plainLow[s]!, plainClose[s]!, p.atr))),
          outputs: (s) => [
            alignRight(ix.atr(plainHigh[s]!, plainLow[s]!, plainClose[s]!, p.atr), bars),
          ],
          skip: converged,
          note: "Tulip seed (bar 0's high - low counts as a true range): from bar 300",
        },
        indicatorts: {
          run: each((s) =>
            last(it.atr(plainHigh[s]!, plainLow[s]!, plainClose[s]!, { period: p.atr }).atrLine),
          ),
          note: 'a simple average of true ranges, not Wilder: values not compared',
        },
        'trading-signals': {
          run: each((s) => last(new ts.ATR(p.atr).updates(candles[s]!)) ?? 0),
          outputs: (s) => [alignRight(new ts.ATR(p.atr).updates(candles[s]!), bars)],
          skip: converged,
          note: "seeds with bar 0's high - low: from bar 300; takes candle objects",
        },
        technicalindicators: {
          run: each((s) =>
            last(
              tn.ATR.calculate({
                period: p.atr,
                high: plainHigh[s]!,
                low: plainLow[s]!,
                close: plainClose[s]!,
              }),
            ),
          ),
          outputs: (s) => [
            alignRight(
              tn.ATR.calculate({
                period: p.atr,
                high: plainHigh[s]!,
                low: plainLow[s]!,
                close: plainClose[s]!,
              }),
              bars,
            ),
          ],
        },
      },
      missing: {},
    },
    {
      indicator: 'bollinger',
      label: `bollinger(${p.bollinger}, ${STD_DEVS})`,
      ours: {
        run: each((s) => last(bollinger(close[s]!, p.bollinger, STD_DEVS).middle)),
        outputs: (s) => {
          const { upper, middle, lower } = bollinger(close[s]!, p.bollinger, STD_DEVS);
          return [upper, middle, lower];
        },
      },
      peers: {
        '@ixjb94/indicators': {
          run: each((s) => last(ix.bbands(plainClose[s]!, p.bollinger, STD_DEVS)[1]!)),
          outputs: (s) => {
            const [lower, middle, upper] = ix.bbands(plainClose[s]!, p.bollinger, STD_DEVS);
            return [upper!, middle!, lower!].map((line) => alignRight(line, bars));
          },
          note: 'variance from running sums of x and x²',
        },
        indicatorts: {
          run: each((s) => last(it.bb(plainClose[s]!, { period: p.bollinger }).middle)),
          outputs: (s) => {
            const { upper, middle, lower } = it.bb(plainClose[s]!, { period: p.bollinger });
            return [upper, middle, lower].map((line) => alignRight(line, bars));
          },
          skip: p.bollinger - 1,
          note: 'width fixed at 2 standard deviations',
        },
        'trading-signals': {
          run: each((s) =>
            lastBand(last(new ts.BollingerBands(p.bollinger, STD_DEVS).updates(plainClose[s]!))),
          ),
          outputs: (s) =>
            bandsOf(new ts.BollingerBands(p.bollinger, STD_DEVS).updates(plainClose[s]!)).map(
              (line) => alignRight(line, bars),
            ),
        },
        technicalindicators: {
          run: each((s) =>
            lastBand(
              last(
                tn.BollingerBands.calculate({
                  period: p.bollinger,
                  stdDev: STD_DEVS,
                  values: plainClose[s]!,
                }),
              ),
            ),
          ),
          outputs: (s) =>
            bandsOf(
              tn.BollingerBands.calculate({
                period: p.bollinger,
                stdDev: STD_DEVS,
                values: plainClose[s]!,
              }),
            ).map((line) => alignRight(line, bars)),
        },
      },
      missing: {},
    },
    {
      indicator: 'rollingStd',
      label: `rollingStd(${p.rollingStd})`,
      ours: {
        run: each((s) => last(rollingStd(close[s]!, p.rollingStd))),
        outputs: (s) => [rollingStd(close[s]!, p.rollingStd)],
      },
      peers: {
        '@ixjb94/indicators': {
          run: each((s) => last(ix.stddev(plainClose[s]!, p.rollingStd))),
          outputs: (s) => [alignRight(ix.stddev(plainClose[s]!, p.rollingStd), bars)],
          // A standard deviation of prices near 100 from Σx² - (Σx)²/n keeps ~1e-12 of the price
          absTol: 1e-7,
          note: 'running sums of x and x²: absolute tolerance 1e-7',
        },
        indicatorts: {
          run: each((s) => last(it.mstd(plainClose[s]!, { period: p.rollingStd }))),
          outputs: (s) => [alignRight(it.mstd(plainClose[s]!, { period: p.rollingStd }), bars)],
          skip: p.rollingStd - 1,
        },
        technicalindicators: {
          run: each((s) => last(tn.SD.calculate({ period: p.rollingStd, values: plainClose[s]! }))),
          outputs: (s) => [
            alignRight(tn.SD.calculate({ period: p.rollingStd, values: plainClose[s]! }), bars),
          ],
        },
      },
      missing: {
        'trading-signals':
          'no rolling standard deviation (only getStandardDeviation of a whole array)',
      },
    },
    {
      indicator: 'rollingCorrelation',
      label: `rollingCorrelation(${p.correlation}) of returns`,
      ours: {
        run: each((s) =>
          last(rollingCorrelation(inputs.returns[s]!, inputs.returns[pair(s)]!, p.correlation)),
        ),
        outputs: (s) => [
          rollingCorrelation(inputs.returns[s]!, inputs.returns[pair(s)]!, p.correlation),
        ],
      },
      peers: {},
      missing: {
        '@ixjb94/indicators': 'no correlation',
        indicatorts: 'no correlation',
        'trading-signals': 'no rolling correlation (only getCorrelation of two whole arrays)',
        technicalindicators: 'no correlation',
      },
    },
  ];
}

// Largest differences over the checked series, bars from `skip` on where ours is defined
function compare(spec: Spec, peer: Contender): Check {
  if (!peer.outputs) {
    return {
      status: 'not compared',
      maxAbsDiff: null,
      maxRelDiff: null,
      values: 0,
      note: peer.note ?? '',
    };
  }
  const absTol = peer.absTol ?? 1e-9;
  const relTol = peer.relTol ?? 1e-9;
  let maxAbs = 0;
  let maxRel = 0;
  let values = 0;
  let failed = false;
  for (let s = 0; s < CHECKED_SERIES; s++) {
    const ours = spec.ours.outputs!(s);
    const theirs = peer.outputs(s);
    ours.forEach((line, k) => {
      const other = theirs[k]!;
      for (let t = peer.skip ?? 0; t < line.length; t++) {
        const a = line[t]!;
        if (Number.isNaN(a)) continue;
        const b = other[t]!;
        const diff = Math.abs(a - b);
        values++;
        if (!(diff <= absTol + relTol * Math.abs(a))) failed = true;
        if (!Number.isFinite(diff)) continue;
        maxAbs = Math.max(maxAbs, diff);
        if (a !== 0) maxRel = Math.max(maxRel, diff / Math.abs(a));
      }
    });
  }
  return {
    status: failed ? 'FAIL' : 'ok',
    maxAbsDiff: maxAbs,
    maxRelDiff: maxRel,
    values,
    note: peer.note ?? '',
  };
}

// Our rolling correlation against the exact two-pass correlation() of every window
function checkCorrelation(inputs: IndicatorInputs): Check {
  const period = PERIOD.correlation;
  let maxAbs = 0;
  let values = 0;
  for (let s = 0; s < 5; s++) {
    const a = inputs.returns[s]!;
    const b = inputs.returns[(s + 1) % inputs.series]!;
    const rolling = rollingCorrelation(a, b, period);
    for (let t = period - 1; t < a.length; t++) {
      const exact = correlation(a, b, t - period + 1, t + 1);
      if (Number.isNaN(exact) && Number.isNaN(rolling[t]!)) continue;
      maxAbs = Math.max(maxAbs, Math.abs(exact - rolling[t]!));
      values++;
    }
  }
  return {
    status: maxAbs <= 1e-9 ? 'ok' : 'FAIL',
    maxAbsDiff: maxAbs,
    maxRelDiff: null,
    values,
    note: 'no library has one: checked against our two-pass correlation() of each window',
  };
}

/** Times every contender on every indicator and checks the libraries' values against ours. */
export function benchIndicators(
  inputs: IndicatorInputs,
  options: SampleOptions,
  onResult?: (line: string) => void,
): IndicatorResult[] {
  const millionBars = (inputs.series * inputs.bars) / 1e6;
  const results: IndicatorResult[] = [];
  for (const spec of specs(inputs)) {
    const contenders: [Library | 'ours', Contender][] = [
      ['ours', spec.ours],
      ...LIBRARIES.flatMap((library): [Library, Contender][] => {
        const contender = spec.peers[library];
        return contender ? [[library, contender]] : [];
      }),
    ];
    const timings = sampleInterleaved(
      contenders.map(([, contender]) => contender.run),
      options,
    );
    const timed = new Map<Library | 'ours', Result>();
    contenders.forEach(([library, contender], k) => {
      const timing = timings[k]!;
      const throughput = millionBars / (timing.medianMs / 1000);
      onResult?.(
        `  ${spec.label.padEnd(36)} ${library.padEnd(20)} ${throughput.toFixed(1).padStart(7)} M bars/s (${timing.samplesMs.length} samples)`,
      );
      const check =
        library === 'ours'
          ? spec.indicator === 'rollingCorrelation'
            ? checkCorrelation(inputs)
            : null
          : compare(spec, contender);
      timed.set(library, {
        library,
        throughput,
        medianMs: timing.medianMs,
        samples: timing.samplesMs.length,
        check,
      });
    });
    const peers = LIBRARIES.map(
      (library): Result =>
        timed.get(library) ?? {
          library,
          throughput: null,
          medianMs: null,
          samples: 0,
          check: {
            status: 'not compared',
            maxAbsDiff: null,
            maxRelDiff: null,
            values: 0,
            note: spec.missing[library] ?? 'not provided',
          },
        },
    );
    results.push({ indicator: spec.indicator, label: spec.label, ours: timed.get('ours')!, peers });
  }
  return results;
}
