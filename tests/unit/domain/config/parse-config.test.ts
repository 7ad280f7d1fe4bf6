import { describe, expect, it } from 'vitest';
import {
  defaultConfig,
  emailEnvelope,
  emailSettings,
  parseConfig,
  STRATEGY_IDS,
} from '../../../../shared/domain/config.js';
import { ConfigError, TradingError } from '../../../../shared/domain/errors.js';

// Reads a dotted path such as 'regime.maxHeat.low' out of a parsed config
function at(config: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config);
}

function configErrorOf(input: unknown, source?: string): ConfigError {
  try {
    parseConfig(input, source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseConfig defaults', () => {
  it.each([
    { path: 'sizing.riskPerTrade', value: 0.01 },
    { path: 'sizing.stopAtrMultiple', value: 2 },
    { path: 'sizing.maxPositionFraction', value: 0.1 },
    { path: 'sizing.atrPeriod', value: 14 },
    { path: 'regime.maxHeat.low', value: 0.4 },
    { path: 'regime.maxHeat.normal', value: 0.3 },
    { path: 'regime.maxHeat.high', value: 0.2 },
    { path: 'regime.lowBelow', value: 15 },
    { path: 'regime.highAbove', value: 25 },
    { path: 'regime.disabledInHighVol', value: ['volatility-breakout'] },
    { path: 'costs.enabled', value: true },
    { path: 'costs.slippageBps', value: 7.5 },
    { path: 'costs.commissionPerShare', value: 0.005 },
    { path: 'risk.maxPositions', value: 10 },
    { path: 'risk.maxPositionsPerSymbol', value: 2 },
    { path: 'risk.dailyLossLimit', value: 0.02 },
    { path: 'risk.maxDrawdownHalt', value: null },
    { path: 'correlation.lookbackDays', value: 60 },
    { path: 'correlation.maxCorrelation', value: 0.7 },
    { path: 'strategies.ml-momentum.lookbackDays', value: 252 },
    { path: 'strategies.ml-momentum.horizonDays', value: 5 },
    { path: 'strategies.ml-momentum.threshold', value: 0.6 },
    { path: 'strategies.ml-momentum.retrain', value: 'monthly' },
    { path: 'strategies.ma-crossover.fastPeriod', value: 20 },
    { path: 'strategies.ma-crossover.slowPeriod', value: 50 },
    { path: 'strategies.enabled', value: [...STRATEGY_IDS] },
    { path: 'exits.profitTargetAtr', value: null },
    { path: 'initialCapital', value: 100_000 },
  ])('$path defaults to $value', ({ path, value }) => {
    expect(at(parseConfig({}), path)).toEqual(value);
  });

  it.each([null, undefined])('treats %s as an empty config', (input) => {
    expect(parseConfig(input)).toEqual(parseConfig({}));
  });

  it('keeps the defaults of the fields next to an overridden one', () => {
    const config = parseConfig({
      sizing: { riskPerTrade: 0.02 },
      regime: { maxHeat: { high: 0.1 } },
    });

    expect(config.sizing).toEqual({
      riskPerTrade: 0.02,
      atrPeriod: 14,
      stopAtrMultiple: 2,
      maxPositionFraction: 0.1,
    });
    expect(config.regime.maxHeat).toEqual({ low: 0.4, normal: 0.3, high: 0.1 });
    expect(config.risk).toEqual(defaultConfig().risk);
  });

  it('gives each caller its own copy of the default lists', () => {
    const first = defaultConfig();
    (first.strategies.enabled as string[]).length = 0;
    (first.regime.disabledInHighVol as string[]).push('ma-crossover');

    const second = defaultConfig();
    expect(second.strategies.enabled).toEqual([...STRATEGY_IDS]);
    expect(second.regime.disabledInHighVol).toEqual(['volatility-breakout']);
  });

  it.each([
    { name: 'riskPerTrade of 0', input: { sizing: { riskPerTrade: 0 } } },
    { name: 'riskPerTrade of 1', input: { sizing: { riskPerTrade: 1 } } },
    {
      name: 'fastPeriod one shorter',
      input: { strategies: { 'ma-crossover': { fastPeriod: 49 } } },
    },
    { name: 'equal VIX thresholds', input: { regime: { lowBelow: 20, highAbove: 20 } } },
    { name: 'a drawdown halt', input: { risk: { maxDrawdownHalt: 0.25 } } },
    { name: 'a subset of strategies', input: { strategies: { enabled: ['ma-crossover'] } } },
  ])('accepts $name', ({ input }) => {
    expect(() => parseConfig(input)).not.toThrow();
  });
});

describe('parseConfig errors', () => {
  it.each([
    { input: { sizing: { riskPerTrade: 1.5 } }, path: 'sizing.riskPerTrade', expected: '<=1' },
    { input: { sizing: { riskPerTrade: -0.01 } }, path: 'sizing.riskPerTrade', expected: '>=0' },
    {
      input: { sizing: { riskPerTrade: '1%' } },
      path: 'sizing.riskPerTrade',
      expected: 'expected number',
    },
    { input: { risk: { maxPositions: 0 } }, path: 'risk.maxPositions', expected: '>0' },
    { input: { risk: { maxPositions: 2.5 } }, path: 'risk.maxPositions', expected: 'int' },
    {
      input: { correlation: { maxCorrelation: 1.5 } },
      path: 'correlation.maxCorrelation',
      expected: '<=1',
    },
    {
      input: { strategies: { 'ml-momentum': { threshold: 0.4 } } },
      path: 'strategies.ml-momentum.threshold',
      expected: '>=0.5',
    },
    {
      input: { strategies: { 'ml-momentum': { retrain: 'daily' } } },
      path: 'strategies.ml-momentum.retrain',
      expected: '"monthly"',
    },
    { input: { riskPerTrade: 0.01 }, path: '(root)', expected: '"riskPerTrade"' },
    { input: { sizing: { riskPerTrad: 0.01 } }, path: 'sizing', expected: '"riskPerTrad"' },
    {
      input: { strategies: { 'mean-reversion': {} } },
      path: 'strategies',
      expected: '"mean-reversion"',
    },
    {
      input: { strategies: { enabled: ['ma-crossover', 'moon-phase'] } },
      path: 'strategies.enabled.1',
      expected: '"rsi-mean-reversion"|"ma-crossover"',
    },
    {
      input: { regime: { disabledInHighVol: ['moon-phase'] } },
      path: 'regime.disabledInHighVol.0',
      expected: '"volatility-breakout"',
    },
    { input: { strategies: { enabled: [] } }, path: 'strategies.enabled', expected: '>=1 items' },
    {
      input: { strategies: { 'ma-crossover': { fastPeriod: 50, slowPeriod: 50 } } },
      path: 'strategies.ma-crossover.fastPeriod',
      expected: 'fastPeriod must be shorter than slowPeriod',
    },
    {
      // The default slowPeriod (50) is what a lone fastPeriod is compared with
      input: { strategies: { 'ma-crossover': { fastPeriod: 60 } } },
      path: 'strategies.ma-crossover.fastPeriod',
      expected: 'fastPeriod must be shorter than slowPeriod',
    },
    {
      input: { regime: { lowBelow: 30, highAbove: 20 } },
      path: 'regime.lowBelow',
      expected: 'lowBelow must not exceed highAbove',
    },
    { input: [], path: '(root)', expected: 'expected object' },
  ])('rejects $input at $path', ({ input, path, expected }) => {
    const error = configErrorOf(input);

    const line = error.message.split('\n').find((l) => l.trim().startsWith(`${path}:`));
    expect(line, error.message).toBeDefined();
    expect(line).toContain(expected);
  });

  it('lists every problem on its own line under the source name', () => {
    const error = configErrorOf(
      { sizing: { riskPerTrade: 2 }, risk: { maxPositions: 0 }, extra: true },
      'config/live.json',
    );

    const [heading, ...problems] = error.message.split('\n');
    expect(heading).toBe('config/live.json is invalid:');
    expect(problems.map((p) => p.trim().split(':')[0]).sort()).toEqual([
      '(root)',
      'risk.maxPositions',
      'sizing.riskPerTrade',
    ]);
  });

  it('is a named TradingError that Step Functions can match', () => {
    const error = configErrorOf({ sizing: { riskPerTrade: 2 } });

    expect(error).toBeInstanceOf(TradingError);
    expect(error.name).toBe('ConfigError');
  });
});

describe('the email section', () => {
  it('defaults to the local outbox addresses and the "Trading bot" prefix', () => {
    expect(emailSettings(parseConfig({}))).toEqual({
      from: 'trading-bot@localhost',
      to: ['you@localhost'],
      subjectPrefix: 'Trading bot',
    });
  });

  it('is left out of a parsed config that does not set it: summary.json echoes the config', () => {
    expect(parseConfig({})).not.toHaveProperty('email');
  });

  it('fills the fields a partial section leaves out and gives the mailers their envelope', () => {
    const config = parseConfig({
      email: { from: 'Trading bot <bot@example.com>', to: ['ops@example.com', 'me@example.org'] },
    });

    expect(emailSettings(config).subjectPrefix).toBe('Trading bot');
    expect(emailEnvelope(config)).toEqual({
      from: 'Trading bot <bot@example.com>',
      to: ['ops@example.com', 'me@example.org'],
    });
  });

  it.each([
    { email: { from: 'bot' }, path: 'email.from', expected: 'must look like an address' },
    { email: { from: 'Bot <bot>' }, path: 'email.from', expected: 'must look like an address' },
    {
      email: { to: ['ops@example.com', 'me at example.com'] },
      path: 'email.to.1',
      expected: 'address',
    },
    { email: { to: ['Ops <ops@example.com>'] }, path: 'email.to.0', expected: 'address' },
    { email: { to: [] }, path: 'email.to', expected: '>=1 items' },
    { email: { subjectPrefix: '' }, path: 'email.subjectPrefix', expected: '>=1' },
    {
      email: { subjectPrefix: 'a\nBcc: x@y.z' },
      path: 'email.subjectPrefix',
      expected: 'one line',
    },
    { email: { replyTo: 'a@b.c' }, path: 'email', expected: '"replyTo"' },
  ])('rejects $email at $path', ({ email, path, expected }) => {
    const error = configErrorOf({ email });

    const line = error.message.split('\n').find((l) => l.trim().startsWith(`${path}:`));
    expect(line, error.message).toBeDefined();
    expect(line).toContain(expected);
  });
});
