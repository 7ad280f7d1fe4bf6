import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { type BacktestRun, runBacktest } from '../../shared/backtest/engine.js';
import { type BacktestSummary, summarise } from '../../shared/backtest/summary.js';
import { parseConfig, type TradingConfig } from '../../shared/domain/config.js';
import { historyThrough, type MarketHistory } from '../../shared/domain/market/history.js';
import type { Lot } from '../../shared/domain/model.js';
import { portfolioKey } from '../../shared/ports/index.js';
import { PortfolioSchema } from '../../shared/steps/documents.js';
import { pipeline } from '../../shared/steps/pipeline.js';

// The invariants below hold every day of the shipped data, whatever the strategies make of it
let history: MarketHistory;
let config: TradingConfig;
let run: BacktestRun;
let summary: BacktestSummary;
let closingLots: ClosingLots;

/** Each day's closing lots, read as that day's run ends (the backtest keeps only the newest). */
type ClosingLots = { readonly date: string; readonly lots: readonly Lot[] | undefined }[];

async function runReadingLots(
  config: TradingConfig,
): Promise<{ run: BacktestRun; closingLots: ClosingLots }> {
  const closingLots: ClosingLots = [];
  const run = await runBacktest(history, config, {
    from: '2018-01-01',
    to: '2023-12-29',
    steps: (deps) => [
      ...pipeline(deps),
      {
        name: 'read-closing-lots',
        run: async (state) => {
          const closing = await deps.store.get(portfolioKey(state.tradingDate), PortfolioSchema);
          closingLots.push({ date: state.tradingDate, lots: closing?.value.lots });
          return state;
        },
      },
    ],
  });
  return { run, closingLots };
}

/** Every day's closing lots within the position limits; returns the days a symbol was at its limit. */
function expectLimitsEveryDay(
  run: BacktestRun,
  closingLots: ClosingLots,
  { maxPositions, maxPositionsPerSymbol }: TradingConfig['risk'],
): number {
  expect(closingLots.map((c) => c.date)).toEqual(run.days.map((d) => d.date));
  let fullSymbolDays = 0;
  for (const [i, { date, lots }] of closingLots.entries()) {
    expect(lots, date).toBeDefined();
    expect(lots!.length, date).toBeLessThanOrEqual(maxPositions);
    const perSymbol = new Map<string, number>();
    for (const lot of lots!) perSymbol.set(lot.symbol, (perSymbol.get(lot.symbol) ?? 0) + 1);
    for (const [symbol, count] of perSymbol) {
      expect(count, `${date} ${symbol}`).toBeLessThanOrEqual(maxPositionsPerSymbol);
    }
    if ([...perSymbol.values()].includes(maxPositionsPerSymbol)) fullSymbolDays++;
    // The day's report counts the same lots
    const lotsReported = Object.values(run.days[i]!.perStrategy).reduce((n, s) => n + s.lots, 0);
    expect(lotsReported, date).toBe(lots!.length);
  }
  return fullSymbolDays;
}

beforeAll(async () => {
  history = await loadDataFolder('data');
  config = parseConfig({});
  ({ run, closingLots } = await runReadingLots(config));
  summary = summarise(history, run);
});

const dayIndex = (date: string) => history.dates.indexOf(date);
const column = (field: 'open' | 'close', date: string, symbol: string) =>
  history[field][dayIndex(date) * history.symbols.length + history.symbols.indexOf(symbol)]!;
const slip = 7.5 / 10_000;

describe('backtest of the shipped data, 2018-01-02 .. 2023-12-29', () => {
  it('covers every trading day of the period and trades', () => {
    expect(run.period).toEqual({ from: '2018-01-02', to: '2023-12-29' });
    expect(run.days.length).toBe(dayIndex('2023-12-29') - dayIndex('2018-01-02') + 1);
    expect(run.trades.length).toBeGreaterThan(50);
  });

  it('reconciles: final equity = capital + closed P&L + open unrealised P&L', () => {
    const closed = run.trades.reduce((sum, t) => sum + t.pnl, 0);
    const open = run.openPositions.reduce((sum, p) => sum + p.unrealisedPnl, 0);
    const final = run.days.at(-1)!.equity;
    expect(final).toBeCloseTo(config.initialCapital + closed + open, 6);
    expect(Math.abs(summary.reconciliationError)).toBeLessThan(1e-6);
  });

  it('never holds more than 10 lots, 2 per symbol, or negative cash, on any day', () => {
    expect(expectLimitsEveryDay(run, closingLots, config.risk)).toBeGreaterThan(0);
    for (const day of run.days) {
      expect(day.cash, day.date).toBeGreaterThanOrEqual(0);
      expect(day.equity, day.date).toBeCloseTo(day.cash + day.exposure, 6);
    }
  });

  it('keeps to the position limits every day when they, not heat, bind', async () => {
    // The default heat caps stop entries before either limit does (MAX_POSITIONS_PER_SYMBOL never
    // binds at 2): here heat may reach 100 % and one lot per symbol, so both limits bind
    const loose = parseConfig({
      regime: { maxHeat: { low: 1, normal: 1, high: 1 } },
      risk: { maxPositionsPerSymbol: 1 },
    });
    const bound = await runReadingLots(loose);
    expect(expectLimitsEveryDay(bound.run, bound.closingLots, loose.risk)).toBeGreaterThan(0);
    // and both limits did refuse entries
    const refused = (reason: string) =>
      bound.run.orders.filter((o) => o.status === 'risk-rejected' && o.reason.startsWith(reason));
    expect(refused('MAX_POSITIONS:').length).toBeGreaterThan(100);
    expect(refused('MAX_POSITIONS_PER_SYMBOL').length).toBeGreaterThan(100);
  });

  it("keeps heat within the regime's cap at every decision", () => {
    const entriesByDate = new Map<string, number>();
    for (const o of run.orders) {
      if (o.side !== 'buy' || o.status === 'risk-rejected') continue;
      const notional = o.qty * column('close', o.decisionDate, o.symbol);
      entriesByDate.set(o.decisionDate, (entriesByDate.get(o.decisionDate) ?? 0) + notional);
    }
    // Prices move heat between decisions; the cap binds where new entries are added
    const decisionDays = run.days.filter((day) => entriesByDate.has(day.date));
    expect(decisionDays.length).toBeGreaterThan(100);
    for (const day of decisionDays) {
      const cap = config.regime.maxHeat[day.regime];
      expect(day.exposure + entriesByDate.get(day.date)!).toBeLessThanOrEqual(
        cap * day.equity + 1e-6,
      );
    }
  });

  it('trips the daily-loss breaker on a 2 % down day and is ACTIVE again the next day', () => {
    const reducing = run.days.findIndex((d) => d.tradingState === 'REDUCING');
    expect(reducing).toBeGreaterThan(0);
    const [before, day, after] = run.days.slice(reducing - 1, reducing + 2);
    expect(day!.equity / before!.equity - 1).toBeLessThanOrEqual(-0.02);
    // REDUCING lasts one day: the next day is judged on its own return
    expect(after!.tradingState === 'REDUCING').toBe(after!.equity / day!.equity - 1 <= -0.02);
  });

  it('sends no entry on a day the trading state is not ACTIVE', () => {
    const inactive = new Set(
      run.days.filter((d) => d.tradingState !== 'ACTIVE').map((d) => d.date),
    );
    const entries = run.orders.filter((o) => o.side === 'buy' && o.status !== 'risk-rejected');
    expect(entries.filter((o) => inactive.has(o.decisionDate))).toEqual([]);
  });

  it('fills entries at the next session open plus slippage, never on the decision day', () => {
    const filled = run.orders.filter((o) => o.side === 'buy' && o.status === 'filled');
    expect(filled.length).toBeGreaterThan(0);
    for (const o of filled) {
      expect(dayIndex(o.fillDate!)).toBe(dayIndex(o.decisionDate) + 1);
      expect(o.fillPrice!).toBeCloseTo(column('open', o.fillDate!, o.symbol) * (1 + slip), 9);
    }
  });

  it('books each trade net of commissions at $0.005 a share on both legs', () => {
    for (const t of run.trades) {
      expect(t.exitDate >= t.entryDate).toBe(true);
      expect(t.costs).toBeCloseTo(2 * 0.005 * t.qty, 9);
      expect(t.pnl).toBeCloseTo((t.exitPrice - t.entryPrice) * t.qty - t.costs, 6);
    }
  });

  it('derives client order ids from date, symbol, side and intent, each used once', () => {
    const ids = run.orders.map((o) => o.clientOrderId).filter((id) => id !== '');
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of run.orders.filter((x) => x.clientOrderId !== '')) {
      expect(o.clientOrderId).toMatch(
        new RegExp(`^${o.decisionDate}-${o.symbol}-${o.side}-(entry|exit|stop)$`),
      );
    }
  });

  it('is deterministic: a second run gives the same orders and equity', async () => {
    const again = await runBacktest(history, config, { from: '2018-01-01', to: '2023-12-29' });
    expect(again.orders).toEqual(run.orders);
    expect(again.days.map((d) => d.equity)).toEqual(run.days.map((d) => d.equity));
  });

  it('does not look ahead: cutting the data after day T leaves every decision before T unchanged', async () => {
    const cut = dayIndex('2020-03-16');
    const truncated = await runBacktest(historyThrough(history, cut), config, {
      from: '2018-01-01',
    });
    // What was decided before T, and every fill up to T; a stop may still fill after T
    const known = (rows: BacktestRun['orders']) =>
      rows
        .filter((o) => o.decisionDate < '2020-03-16')
        .map((o) =>
          o.fillDate !== null && o.fillDate <= '2020-03-16'
            ? o
            : { ...o, fillDate: null, fillPrice: null, status: 'open' },
        );
    expect(known(truncated.orders)).toEqual(known(run.orders));
    const days = truncated.days.length;
    expect(truncated.days.map((d) => d.equity)).toEqual(
      run.days.slice(0, days).map((d) => d.equity),
    );
  });
});
