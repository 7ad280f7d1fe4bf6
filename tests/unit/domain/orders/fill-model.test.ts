import { describe, expect, it } from 'vitest';
import {
  commissionFor,
  marketFillPrice,
  roundToTick,
  sellStopFillPrice,
  slippedPrice,
} from '../../../../shared/domain/orders/fill-model.js';
import { aConfig, costsOff } from '../../../fixtures/builders.js';

const costs = aConfig().costs; // 7.5 bps, $0.005 a share
const off = costsOff();

describe('slippedPrice', () => {
  it.each([
    { side: 'buy', price: 100, expected: 100.075 },
    { side: 'sell', price: 100, expected: 99.925 },
    { side: 'buy', price: 40, expected: 40.03 },
    { side: 'sell', price: 40, expected: 39.97 },
  ] as const)('a $side at $price fills at $expected', ({ side, price, expected }) => {
    expect(slippedPrice(price, side, costs)).toBeCloseTo(expected, 10);
  });

  it.each(['buy', 'sell'] as const)('leaves a %s at the price when costs are off', (side) => {
    expect(slippedPrice(100, side, off)).toBe(100);
  });

  it('reads the slippage from the cost model', () => {
    const tenBps = aConfig({ costs: { slippageBps: 10 } }).costs;

    expect(slippedPrice(250, 'buy', tenBps)).toBeCloseTo(250.25, 10);
    expect(slippedPrice(250, 'sell', tenBps)).toBeCloseTo(249.75, 10);
  });

  it('is the slipped open for a market order', () => {
    expect(marketFillPrice('buy', 80, costs)).toBe(slippedPrice(80, 'buy', costs));
    expect(marketFillPrice('sell', 80, costs)).toBe(slippedPrice(80, 'sell', costs));
  });
});

describe('commissionFor', () => {
  it.each([
    { qty: 0, expected: 0 },
    { qty: 1, expected: 0.005 },
    { qty: 100, expected: 0.5 },
    { qty: 1234, expected: 6.17 },
  ])('$qty shares cost $expected', ({ qty, expected }) => {
    expect(commissionFor(qty, costs)).toBeCloseTo(expected, 10);
  });

  it('is 0 when costs are off', () => {
    expect(commissionFor(1000, off)).toBe(0);
  });

  it('reads the rate from the cost model', () => {
    expect(commissionFor(200, aConfig({ costs: { commissionPerShare: 0.01 } }).costs)).toBeCloseTo(
      2,
      10,
    );
  });
});

describe('sellStopFillPrice', () => {
  it.each([
    { name: 'a gap through the stop', open: 93, low: 90, base: 93 },
    { name: 'an open exactly at the stop', open: 95, low: 94, base: 95 },
    { name: 'a touch during the day', open: 100, low: 94, base: 95 },
    { name: 'a low exactly at the stop', open: 100, low: 95, base: 95 },
    { name: 'a low a cent above the stop', open: 100, low: 95.01, base: null },
  ])('stop 95 and $name -> $base before slippage', ({ open, low, base }) => {
    const fill = sellStopFillPrice(95, open, low, costs);

    if (base === null) expect(fill).toBeNull();
    else expect(fill).toBeCloseTo(base * (1 - 7.5 / 10_000), 10);
  });

  it.each([
    { open: 93, low: 90, fill: 93 },
    { open: 100, low: 94, fill: 95 },
    { open: 100, low: 96, fill: null },
  ])('without costs, open $open and low $low -> $fill', ({ open, low, fill }) => {
    expect(sellStopFillPrice(95, open, low, off)).toBe(fill);
  });
});

describe('roundToTick', () => {
  it.each([
    { price: 97.532, tick: 97.53 },
    { price: 97.538, tick: 97.54 },
    { price: 100, tick: 100 },
    { price: 1.999, tick: 2 },
    { price: 1, tick: 1 },
    { price: 0.1 + 0.2, tick: 0.3 }, // 0.30000000000000004
    { price: 0.123456, tick: 0.1235 }, // below $1 the tick is 1/100 cent
    { price: 0.99996, tick: 1 },
    { price: 0.5, tick: 0.5 },
  ])('$price -> $tick', ({ price, tick }) => {
    expect(roundToTick(price)).toBe(tick);
  });
});
