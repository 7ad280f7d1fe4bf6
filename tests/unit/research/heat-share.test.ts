import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/domain/config.js';
import { checkRisk, type RiskContext } from '../../../shared/domain/risk/check-risk.js';
import { aConfig, aSizedOrder } from '../../fixtures/builders.js';

// $100k of equity, all in cash, a 30 % heat cap; each order below is $10k (100 shares at $100)
const context = (overrides: Partial<RiskContext> = {}): RiskContext => ({
  cash: 100_000,
  equity: 100_000,
  positionsValue: 0,
  lots: [],
  tradingState: 'ACTIVE',
  maxHeat: 0.3,
  positionsValueByStrategy: {},
  ...overrides,
});
const momentum = (symbol: string) =>
  aSizedOrder({ symbol, strategy: 'ml-momentum', qty: 100, price: 100 });
const reversion = (symbol: string) =>
  aSizedOrder({ symbol, strategy: 'rsi-mean-reversion', qty: 100, price: 100 });

describe('the per-strategy share of the heat cap', () => {
  it('is absent from the default config, so the defaults parse as before', () => {
    expect(parseConfig({}).risk).not.toHaveProperty('heatShare');
  });

  it('fails naming the field when a share is not a fraction', () => {
    expect(() => parseConfig({ risk: { heatShare: { 'ml-momentum': 1.5 } } })).toThrow(
      /risk\.heatShare\.ml-momentum: /,
    );
  });

  it('stops a strategy at its share while the others still use the rest of the cap', () => {
    // A share of 0.4 of a 30 % cap leaves ml-momentum $12k: one $10k order, not two
    const risk = aConfig({ risk: { heatShare: { 'ml-momentum': 0.4 } } }).risk;
    const orders = [momentum('AAPL'), momentum('MSFT'), reversion('KO'), reversion('PG')];
    const decisions = checkRisk(orders, context(), risk);
    expect(decisions.map((d) => d.reason)).toEqual([null, 'MAX_HEAT', null, null]);
    expect(decisions[1]!.detail).toBe(
      'ml-momentum heat after trade 0.2000 > its share 0.4 of cap 0.3',
    );
  });

  it("counts the strategy's open positions against its share", () => {
    const risk = aConfig({ risk: { heatShare: { 'ml-momentum': 0.4 } } }).risk;
    const [decision] = checkRisk(
      [momentum('AAPL')],
      context({ positionsValue: 5_000, positionsValueByStrategy: { 'ml-momentum': 5_000 } }),
      risk,
    );
    expect(decision!.reason).toBe('MAX_HEAT');
  });

  it('decides as without shares when no share is set', () => {
    const orders = [momentum('AAPL'), momentum('MSFT'), momentum('KO'), momentum('PG')];
    const withMap = checkRisk(orders, context(), aConfig().risk);
    const { positionsValueByStrategy: _, ...plain } = context();
    expect(withMap).toEqual(checkRisk(orders, plain, aConfig().risk));
    expect(withMap.map((d) => d.reason)).toEqual([null, null, null, 'MAX_HEAT']);
  });

  it("refuses shares without each strategy's positions", () => {
    const risk = aConfig({ risk: { heatShare: { 'ml-momentum': 0.4 } } }).risk;
    const { positionsValueByStrategy: _, ...plain } = context();
    expect(() => checkRisk([momentum('AAPL')], plain, risk)).toThrow(/market value of each/);
  });
});
