import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { type BacktestRun, runBacktest } from '../../shared/backtest/engine.js';
import { type BacktestSummary, summarise } from '../../shared/backtest/summary.js';
import { parseConfig, type TradingConfig } from '../../shared/domain/config.js';
import { historyThrough, type MarketHistory } from '../../shared/domain/market/history.js';

// The invariants below hold every day of the shipped data, whatever the strategies make of it
let history: MarketHistory;
let config: TradingConfig;
let run: BacktestRun;
let summary: BacktestSummary;

beforeAll(async () => {
  history = await loadDataFolder('data');
  config = parseConfig({});
  run = await runBacktest(history, config, { from: '2018-01-01', to: '2023-12-29' });
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

  it('never holds more than 10 lots, 2 per symbol, or negative cash', () => {
    for (const day of run.days) {
      const lots = Object.values(day.perStrategy).reduce((sum, s) => sum + s.lots, 0);
      expect(lots).toBeLessThanOrEqual(config.risk.maxPositions);
      expect(day.cash).toBeGreaterThanOrEqual(0);
      expect(day.equity).toBeCloseTo(day.cash + day.exposure, 6);
    }
    for (const p of run.openPositions) {
      expect(run.openPositions.filter((q) => q.symbol === p.symbol).length).toBeLessThanOrEqual(2);
    }
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
