import { describe, expect, it } from 'vitest';
import {
  type EngineResult,
  pooledEngineResult,
  pooledProcessResult,
  pooledRuleResult,
} from '../../../scripts/bench/backtests.js';
import { median, pooledTiming, type Timing } from '../../../scripts/bench/measure.js';

const timing = (samplesMs: number[], firstMs = 900): Timing => ({
  medianMs: median(samplesMs),
  samplesMs,
  firstMs,
});

const engineRound = (samplesMs: number[], overrides: Partial<EngineResult> = {}): EngineResult => ({
  loadMs: 80,
  symbols: 36,
  days: 2516,
  engine: timing(samplesMs),
  trades: 1135,
  ...overrides,
});

describe('pooling bench rounds', () => {
  it('pools every sample of every round and takes their median, keeping the first cold run', () => {
    const pooled = pooledTiming([timing([300, 310], 700), timing([250, 400, 260], 650)]);

    expect(pooled.samplesMs).toEqual([300, 310, 250, 400, 260]);
    expect(pooled.medianMs).toBe(300);
    expect(pooled.firstMs).toBe(700);
  });

  it('pools engine rounds, with the median load time', () => {
    const pooled = pooledEngineResult([
      engineRound([280], { loadMs: 90 }),
      engineRound([350, 260], { loadMs: 70 }),
      engineRound([300], { loadMs: 85 }),
    ]);

    expect(pooled.engine.samplesMs).toEqual([280, 350, 260, 300]);
    expect(pooled.loadMs).toBe(85);
  });

  it('refuses engine rounds that ran different backtests', () => {
    expect(() =>
      pooledEngineResult([engineRound([280]), engineRound([290], { trades: 1134 })]),
    ).toThrow(
      'engine rounds disagree: 1134 trades over 2516 days, against 1135 trades over 2516 days',
    );
  });

  it('refuses rule-only rounds that ran different backtests', () => {
    const round = { symbolBars: 1_260_000, timing: timing([110]), trades: 418 };
    expect(() => pooledRuleResult([round, { ...round, trades: 417 }])).toThrow(
      'rule-only rounds disagree',
    );
  });

  it('pools process rounds: the median wall time and the largest peak over all runs', () => {
    const round = (wallSeconds: number[], peakMb: number[]) =>
      pooledProcessResult([
        {
          wallSeconds,
          peakMb,
          medianWallSeconds: median(wallSeconds),
          medianPeakMb: median(peakMb),
          maxPeakMb: Math.max(...peakMb),
        },
      ]);
    const pooled = pooledProcessResult([round([0.9, 1.2], [118, 117]), round([0.8], [121])]);

    expect(pooled.wallSeconds).toEqual([0.9, 1.2, 0.8]);
    expect(pooled.medianWallSeconds).toBe(0.9);
    expect(pooled.maxPeakMb).toBe(121);
    expect(pooled.medianPeakMb).toBe(118);
  });

  it('refuses to pool nothing', () => {
    expect(() => pooledTiming([])).toThrow('no timings to pool');
    expect(() => pooledEngineResult([])).toThrow('no engine rounds to pool');
    expect(() => pooledProcessResult([])).toThrow('no process rounds to pool');
  });
});
