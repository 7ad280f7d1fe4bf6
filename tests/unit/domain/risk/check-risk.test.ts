import { describe, expect, it } from 'vitest';
import type { SizedOrder } from '../../../../shared/domain/model.js';
import { checkRisk, type RiskContext } from '../../../../shared/domain/risk/check-risk.js';
import { aConfig, aLot, aSizedOrder, lotsInDistinctSymbols } from '../../../fixtures/builders.js';

const riskConfig = aConfig().risk; // 10 positions, 2 per symbol

// $100k of equity, all in cash, normal-regime heat cap of 30 %
function aContext(overrides: Partial<RiskContext> = {}): RiskContext {
  return {
    cash: 100_000,
    equity: 100_000,
    positionsValue: 0,
    lots: [],
    tradingState: 'ACTIVE',
    maxHeat: 0.3,
    ...overrides,
  };
}

const decide = (order: SizedOrder, context: Partial<RiskContext> = {}) => {
  const [decision] = checkRisk([order], aContext(context), riskConfig);
  return decision!;
};

describe('checkRisk', () => {
  it('approves an order within every limit', () => {
    const order = aSizedOrder();

    expect(checkRisk([order], aContext(), riskConfig)).toEqual([
      { order, approved: true, reason: null, detail: 'approved' },
    ]);
  });

  it.each(['REDUCING', 'HALTED'] as const)('rejects every entry while %s', (tradingState) => {
    const decisions = checkRisk(
      [aSizedOrder({ symbol: 'AAPL' }), aSizedOrder({ symbol: 'MSFT', qty: 0 })],
      aContext({ tradingState }),
      riskConfig,
    );

    expect(decisions.map((d) => [d.approved, d.reason])).toEqual([
      [false, 'TRADING_STATE'],
      [false, 'TRADING_STATE'],
    ]);
    expect(decisions[0]!.detail).toContain(tradingState);
  });

  it.each([
    [0, undefined, null],
    [1, undefined, null],
    [2, undefined, 'STALE_VIX'],
    [1, 0, 'STALE_VIX'],
    [3, 3, null],
  ] as const)(
    'with a VIX close %i session(s) old and a limit of %s, decides %s',
    (stale, limit, reason) => {
      const config =
        limit === undefined ? riskConfig : { ...riskConfig, maxStaleVixSessions: limit };
      const [decision] = checkRisk([aSizedOrder()], aContext({ staleVixSessions: stale }), config);

      expect(decision!.reason).toBe(reason);
      if (reason !== null) expect(decision!.detail).toContain(`${stale} session(s) old`);
    },
  );

  it("refuses an entry in a symbol the venue will not trade, in the venue's words", () => {
    const untradable = new Map([['AAPL', 'Alpaca lists it not tradable']]);
    const decisions = checkRisk(
      [aSizedOrder({ symbol: 'AAPL' }), aSizedOrder({ symbol: 'MSFT' })],
      aContext({ untradable }),
      riskConfig,
    );

    expect(decisions.map((d) => [d.order.symbol, d.reason, d.detail])).toEqual([
      ['AAPL', 'NOT_TRADABLE', 'Alpaca lists it not tradable'],
      ['MSFT', null, 'approved'],
    ]);
  });

  it('rejects an order of zero shares with the sizing reason', () => {
    const order = aSizedOrder({ qty: 0, reason: 'crossover; not sized: no cash' });

    expect(decide(order)).toEqual({
      order,
      approved: false,
      reason: 'ZERO_SIZE',
      detail: 'crossover; not sized: no cash',
    });
  });

  it.each([
    { open: 9, reason: null },
    { open: 10, reason: 'MAX_POSITIONS' },
    { open: 11, reason: 'MAX_POSITIONS' },
  ])('with $open positions open -> $reason', ({ open, reason }) => {
    const decision = decide(aSizedOrder({ symbol: 'AAPL' }), { lots: lotsInDistinctSymbols(open) });

    expect(decision.reason).toBe(reason);
    expect(decision.approved).toBe(reason === null);
  });

  it.each([
    { inSymbol: 0, elsewhere: 3, reason: null },
    { inSymbol: 1, elsewhere: 3, reason: null },
    { inSymbol: 2, elsewhere: 0, reason: 'MAX_POSITIONS_PER_SYMBOL' },
  ])(
    'with $inSymbol lots in the symbol and $elsewhere elsewhere -> $reason',
    ({ inSymbol, elsewhere, reason }) => {
      const lots = [
        ...Array.from({ length: inSymbol }, () => aLot({ symbol: 'AAPL' })),
        ...lotsInDistinctSymbols(elsewhere),
      ];
      const decision = decide(aSizedOrder({ symbol: 'AAPL' }), { lots });

      expect(decision.reason).toBe(reason);
      if (reason) expect(decision.detail).toContain('AAPL');
    },
  );

  it.each([
    { positionsValue: 20_000, qty: 100, reason: null }, // 30 000 / 100 000 = 0.3 exactly
    { positionsValue: 20_000, qty: 101, reason: 'MAX_HEAT' }, // one share over
    { positionsValue: 0, qty: 300, reason: null },
    { positionsValue: 0, qty: 301, reason: 'MAX_HEAT' },
  ])('$positionsValue held, buying $qty at $100 -> $reason', ({ positionsValue, qty, reason }) => {
    const decision = decide(aSizedOrder({ qty, price: 100 }), { positionsValue });

    expect(decision.reason).toBe(reason);
  });

  it('measures heat by the order at its price, not by its estimated cost', () => {
    const order = aSizedOrder({ qty: 300, price: 100, estimatedCost: 30_100 });

    expect(decide(order).approved).toBe(true);
  });

  it('approves an order that brings heat to exactly the cap in cents', () => {
    // 23 790.83 + 47 × 132.11 = 30 000.00, exactly 30 % of equity
    const order = aSizedOrder({ qty: 47, price: 132.11 });

    expect(decide(order, { positionsValue: 23_790.83 }).reason).toBe(null);
  });

  it.each([
    { cash: 10_000, estimatedCost: 10_000, reason: null },
    { cash: 10_000, estimatedCost: 10_000.01, reason: 'INSUFFICIENT_CASH' },
  ])(
    'cash $cash for an order costing $estimatedCost -> $reason',
    ({ cash, estimatedCost, reason }) => {
      const decision = decide(aSizedOrder({ qty: 100, price: 99, estimatedCost }), { cash });

      expect(decision.reason).toBe(reason);
    },
  );

  it('rejects one share more than the cash pays for, slippage and commission included', () => {
    const costOf = (qty: number) => qty * 50 * 1.00075 + qty * 0.005;
    const cash = costOf(100) + 1;
    const orders = [100, 101].map((qty) =>
      aSizedOrder({ symbol: `S${qty}`, qty, price: 50, estimatedCost: costOf(qty) }),
    );

    const decisions = orders.map((order) => decide(order, { cash }));

    expect(decisions.map((d) => d.reason)).toEqual([null, 'INSUFFICIENT_CASH']);
  });

  it.each([
    {
      name: 'the trading state before a zero size',
      order: aSizedOrder({ qty: 0 }),
      context: { tradingState: 'HALTED' as const },
      reason: 'TRADING_STATE',
    },
    {
      name: 'a zero size before the position limit',
      order: aSizedOrder({ qty: 0 }),
      context: { lots: lotsInDistinctSymbols(10) },
      reason: 'ZERO_SIZE',
    },
    {
      name: 'the position limit before heat',
      order: aSizedOrder({ qty: 1000 }),
      context: { lots: lotsInDistinctSymbols(10) },
      reason: 'MAX_POSITIONS',
    },
    {
      name: 'heat before cash',
      order: aSizedOrder({ qty: 1000 }),
      context: { cash: 0 },
      reason: 'MAX_HEAT',
    },
  ])('reports $name', ({ order, context, reason }) => {
    expect(decide(order, context).reason).toBe(reason);
  });
});

describe('checkRisk counts what it approved before', () => {
  it('spends the cash of earlier approvals', () => {
    const orders = [
      aSizedOrder({ symbol: 'AAPL', estimatedCost: 10_000 }),
      aSizedOrder({ symbol: 'MSFT', estimatedCost: 5_000 }),
      aSizedOrder({ symbol: 'NVDA', estimatedCost: 5_000.01 }),
    ];

    const decisions = checkRisk(orders, aContext({ cash: 20_000 }), riskConfig);

    expect(decisions.map((d) => d.reason)).toEqual([null, null, 'INSUFFICIENT_CASH']);
    expect(decisions[2]!.detail).toBe('needs 5000.01, cash left 5000.00');
  });

  it('adds earlier approvals to the heat', () => {
    // 10 000 held; each order is 10 000 at $100, against a cap of 30 000
    const orders = ['AAPL', 'MSFT', 'NVDA'].map((symbol) =>
      aSizedOrder({ symbol, qty: 100, price: 100 }),
    );

    const decisions = checkRisk(orders, aContext({ positionsValue: 10_000 }), riskConfig);

    expect(decisions.map((d) => d.reason)).toEqual([null, null, 'MAX_HEAT']);
  });

  it('counts earlier approvals as open positions', () => {
    const orders = ['AAPL', 'MSFT'].map((symbol) => aSizedOrder({ symbol }));

    const decisions = checkRisk(orders, aContext({ lots: lotsInDistinctSymbols(9) }), riskConfig);

    expect(decisions.map((d) => d.reason)).toEqual([null, 'MAX_POSITIONS']);
  });

  it('counts earlier approvals in the same symbol', () => {
    const orders = [
      aSizedOrder({ symbol: 'AAPL', strategy: 'ma-crossover' }),
      aSizedOrder({ symbol: 'AAPL', strategy: 'ml-momentum' }),
    ];

    const decisions = checkRisk(orders, aContext({ lots: [aLot({ symbol: 'AAPL' })] }), riskConfig);

    expect(decisions.map((d) => d.reason)).toEqual([null, 'MAX_POSITIONS_PER_SYMBOL']);
  });

  it("takes a reserved entry's cash, heat, slot and symbol before deciding any order", () => {
    // Reserved: 10 000 at $100 in AAPL, costing 10 005; then 9 lots elsewhere leave no slot
    const reserved = [aSizedOrder({ symbol: 'AAPL', qty: 100, price: 100, estimatedCost: 10_005 })];
    const at = (overrides: Partial<RiskContext>) => aContext({ reserved, ...overrides });
    const anOrder = (symbol: string) => aSizedOrder({ symbol, qty: 100, price: 100 });

    expect(decide(anOrder('MSFT'), at({ cash: 15_000 })).reason).toBe('INSUFFICIENT_CASH');
    expect(decide(anOrder('MSFT'), at({ positionsValue: 15_000 })).reason).toBe('MAX_HEAT');
    expect(decide(anOrder('MSFT'), at({ lots: lotsInDistinctSymbols(9) })).reason).toBe(
      'MAX_POSITIONS',
    );
    expect(decide(anOrder('AAPL'), at({ lots: [aLot({ symbol: 'AAPL' })] })).reason).toBe(
      'MAX_POSITIONS_PER_SYMBOL',
    );
    expect(decide(anOrder('MSFT'), at({})).approved).toBe(true);
  });

  it('does not spend anything on a rejected order', () => {
    const orders = [
      aSizedOrder({ symbol: 'AAPL', qty: 100, price: 100, estimatedCost: 10_001 }),
      aSizedOrder({ symbol: 'MSFT', qty: 100, price: 100, estimatedCost: 10_000 }),
    ];

    const decisions = checkRisk(orders, aContext({ cash: 10_000 }), riskConfig);

    expect(decisions.map((d) => d.reason)).toEqual(['INSUFFICIENT_CASH', null]);
  });

  it('decides in the order given, one decision per order', () => {
    const orders = ['C', 'A', 'B'].map((symbol) => aSizedOrder({ symbol }));

    const decisions = checkRisk(orders, aContext(), riskConfig);

    expect(decisions.map((d) => d.order)).toEqual(orders);
  });
});
