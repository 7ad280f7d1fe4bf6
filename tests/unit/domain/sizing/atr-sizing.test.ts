import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../../shared/domain/model.js';
import { sizePosition } from '../../../../shared/domain/sizing/atr-sizing.js';
import { aConfig, aSignal } from '../../../fixtures/builders.js';

const config = aConfig();
const noCosts = aConfig({ costs: { enabled: false } });
const plenty = 1e12;

// The brief's cost rule with the default 7.5 bps of slippage and $0.005 a share
const costOf = (qty: number, price: number) => qty * price * (1 + 7.5 / 10_000) + qty * 0.005;

describe('sizePosition by risk', () => {
  it.each([
    { equity: 100_000, price: 20, atr: 1.5, qty: 333 }, // 1000 / 3 = 333.3
    { equity: 50_000, price: 10, atr: 0.8, qty: 312 }, // 500 / 1.6 = 312.5
    { equity: 100_000, price: 40, atr: 2.5, qty: 200 }, // 1000 / 5, exactly
    { equity: 250_000, price: 30, atr: 1.7, qty: 735 }, // 2500 / 3.4 = 735.3
  ])('equity $equity, ATR $atr -> $qty shares', ({ equity, price, atr, qty }) => {
    const order = sizePosition(aSignal({ price, atr }), { equity, cash: plenty }, config);

    expect(order.qty).toBe(qty);
    expect(order.qty).toBe(Math.floor((equity * 0.01) / (2 * atr)));
  });

  it.each([
    // 902 / 2.2 is exactly 410, but the float quotient is 409.99999999999994
    { equity: 90_200, price: 20, atr: 1.1, costs: config, qty: 410 },
    // 9000.9 / 100.01 is exactly 90 (the 10 % cap, no costs), but floors to 89 in floating point
    { equity: 90_009, price: 100.01, atr: 0.5, costs: noCosts, qty: 90 },
  ])(
    'floors an exact quotient to itself: equity $equity, price $price, ATR $atr -> $qty',
    ({ equity, price, atr, costs, qty }) => {
      expect(sizePosition(aSignal({ price, atr }), { equity, cash: plenty }, costs).qty).toBe(qty);
    },
  );
});

describe('sizePosition capped at 10 % of equity', () => {
  it.each([
    { equity: 100_000, price: 100, atr: 1, qty: 99 }, // risk allows 500; 10000 / 100.075 = 99.9
    { equity: 100_000, price: 250, atr: 2, qty: 39 }, // risk allows 250; 10000 / 250.1875 = 39.97
    { equity: 20_000, price: 45.5, atr: 0.4, qty: 43 }, // risk allows 250; 2000 / 45.534 = 43.9
  ])('equity $equity at $price -> $qty shares', ({ equity, price, atr, qty }) => {
    const order = sizePosition(aSignal({ price, atr }), { equity, cash: plenty }, config);
    const fillPrice = price * (1 + 7.5 / 10_000);

    expect(order.qty).toBe(qty);
    expect(order.qty * fillPrice).toBeLessThanOrEqual(equity * 0.1);
    expect((order.qty + 1) * fillPrice).toBeGreaterThan(equity * 0.1);
  });

  it.each([
    { price: 100, qty: 100 },
    { price: 250, qty: 40 },
  ])('without costs, $price a share -> $qty shares', ({ price, qty }) => {
    const order = sizePosition(
      aSignal({ price, atr: 1 }),
      { equity: 100_000, cash: plenty },
      noCosts,
    );

    expect(order.qty).toBe(qty);
  });
});

describe('sizePosition bound by cash', () => {
  // Equity of $1M leaves risk (10 000 shares) and the cap ($100k) far above what the cash buys
  it.each([
    { price: 50, cash: 5_000, qty: 99 },
    { price: 123.45, cash: 20_000, qty: 161 },
    { price: 8.37, cash: 1_000, qty: 119 },
    { price: 50, cash: 4_954.2075, qty: 99 }, // exactly 99 × (50.0375 + 0.005)
  ])('$cash at $price -> $qty shares, slippage and commission included', ({ price, cash, qty }) => {
    const order = sizePosition(aSignal({ price, atr: 0.5 }), { equity: 1e6, cash }, config);

    expect(order.qty).toBe(qty);
    expect(costOf(order.qty, price)).toBeLessThanOrEqual(cash + 1e-9);
    expect(costOf(order.qty + 1, price)).toBeGreaterThan(cash);
  });

  it.each([
    { price: 50, cash: 5_004.25, qty: 100 }, // 100 × 50.0425; sized 99 today
    { price: 10, cash: 1_001.25, qty: 100 }, // 100 × 10.0125; sized 99 today
    { price: 10, cash: 440.55, qty: 44 }, // 44 × 10.0125; sized 44 but estimated at 440.55000000000007
  ])(
    'buys all $qty shares that $cash exactly pays for at $price, within that cash',
    ({ price, cash, qty }) => {
      const order = sizePosition(aSignal({ price, atr: 0.5 }), { equity: 1e6, cash }, config);

      expect(order.qty).toBe(qty);
      // checkRisk rejects INSUFFICIENT_CASH when estimatedCost > cash, so this must hold exactly
      expect(order.estimatedCost).toBeLessThanOrEqual(cash);
    },
  );

  it('estimates the cost as qty × price with slippage plus commission', () => {
    const order = sizePosition(
      aSignal({ price: 100, atr: 1 }),
      { equity: 100_000, cash: plenty },
      config,
    );

    expect(order.qty).toBe(99);
    expect(order.estimatedCost).toBeCloseTo(99 * 100.075 + 99 * 0.005, 9); // 9907.92
  });

  it('uses the plain price and no commission when costs are disabled', () => {
    const order = sizePosition(
      aSignal({ price: 50, atr: 0.5 }),
      { equity: 1e6, cash: 5_000 },
      noCosts,
    );

    expect(order.qty).toBe(100);
    expect(order.estimatedCost).toBe(5_000);
  });
});

describe('sizePosition that cannot size', () => {
  it.each<{ name: string; signal: Partial<Signal>; equity?: number; cash?: number; why: string }>([
    { name: 'ATR 0', signal: { atr: 0 }, why: 'no stop distance' },
    { name: 'ATR NaN', signal: { atr: Number.NaN }, why: 'no stop distance' },
    { name: 'a negative ATR', signal: { atr: -1 }, why: 'no stop distance' },
    { name: 'price NaN', signal: { price: Number.NaN }, why: 'no stop distance' },
    { name: 'price 0', signal: { price: 0 }, why: 'no stop distance' },
    { name: 'a stop below zero', signal: { price: 3, atr: 2 }, why: 'stop below zero' },
    { name: 'a stop at zero', signal: { price: 4, atr: 2 }, why: 'stop below zero' },
    { name: 'no cash', signal: {}, cash: 0, why: 'no cash' },
    { name: 'negative cash', signal: {}, cash: -500, why: 'no cash' },
    {
      name: 'a share riskier than the budget',
      signal: { price: 50, atr: 10 }, // $10 of risk against a $20 stop distance
      equity: 1_000,
      cash: 1_000,
      why: 'one share exceeds the risk budget',
    },
  ])('$name -> qty 0 with the reason', ({ signal, equity = 100_000, cash = 100_000, why }) => {
    const input = aSignal(signal);
    const order = sizePosition(input, { equity, cash }, config);

    expect(order.qty).toBe(0);
    expect(order.estimatedCost).toBe(0);
    expect(order.reason).toBe(`${input.reason}; not sized: ${why}`);
  });

  it.each([
    { equity: Number.NaN, cash: 100_000 },
    { equity: 100_000, cash: Number.NaN },
  ])('equity $equity, cash $cash -> qty 0, not NaN', ({ equity, cash }) => {
    const order = sizePosition(aSignal(), { equity, cash }, config);

    expect(order.qty).toBe(0);
    expect(order.reason).toContain('not sized');
  });
});

describe('sizePosition stop and target', () => {
  it.each([
    { price: 100, atr: 2, stop: 96 },
    { price: 100, atr: 1.234, stop: 97.53 }, // 97.532
    { price: 101.37, atr: 2.111, stop: 97.15 }, // 97.148
    { price: 50.5, atr: 0.3333, stop: 49.83 }, // 49.8334
    { price: 0.5, atr: 0.01234, stop: 0.4753 }, // below $1 the tick is 1/100 cent
  ])('price $price, ATR $atr -> stop $stop', ({ price, atr, stop }) => {
    const order = sizePosition(aSignal({ price, atr }), { equity: 100_000, cash: plenty }, config);

    expect(order.stopPrice).toBe(stop);
  });

  it('places the stop stopAtrMultiple ATRs below the price', () => {
    const wide = aConfig({ sizing: { stopAtrMultiple: 3 } });
    const order = sizePosition(
      aSignal({ price: 20, atr: 1.234 }),
      { equity: 100_000, cash: plenty },
      wide,
    );

    expect(order.stopPrice).toBe(16.3); // 16.298
    expect(order.qty).toBe(270); // 1000 / 3.702 = 270.1, under the cap of 499
  });

  it('prices the stop of an order that cannot be sized', () => {
    const order = sizePosition(
      aSignal({ price: 100, atr: 1.234 }),
      { equity: 100_000, cash: 0 },
      config,
    );

    expect(order).toMatchObject({ qty: 0, stopPrice: 97.53 });
  });

  it.each([
    { profitTargetAtr: null, target: null },
    { profitTargetAtr: 3, target: 103.7 }, // 103.702
    { profitTargetAtr: 1.5, target: 101.85 }, // 101.851
  ])('profit target $profitTargetAtr ATR -> $target', ({ profitTargetAtr, target }) => {
    const withTarget = aConfig({ exits: { profitTargetAtr } });
    const order = sizePosition(
      aSignal({ price: 100, atr: 1.234 }),
      { equity: 100_000, cash: plenty },
      withTarget,
    );

    expect(order.targetPrice).toBe(target);
  });

  it('carries the signal through unchanged', () => {
    const signal = aSignal({ symbol: 'NVDA', strategy: 'ml-momentum', confidence: 0.71 });
    const order = sizePosition(signal, { equity: 100_000, cash: plenty }, config);

    expect(order).toMatchObject(signal);
    expect(order.qty).toBeGreaterThan(0);
  });
});
