import { exchangeOf } from './assets.js';
import type { Book, Holding } from './book.js';
import type { Market } from './market.js';
import { assetId, type ServerOrder } from './orders.js';
import { decimal, newYorkDate, stableUuid } from './wire.js';

/** The one account the server holds. */
export const ACCOUNT_ID = stableUuid('account');

/** The last price of a holding: the shipped price at `now`, its average cost without data. */
function markOf(symbol: string, holding: Holding, market: Market, now: Date): number {
  return market.priceAt(symbol, now) ?? holding.cost / holding.qty;
}

/** Cash plus the positions at their last price: Alpaca's live `equity`. */
export function equity(book: Book, market: Market, now: Date): number {
  let value = book.cash;
  for (const [symbol, holding] of book.positions) {
    value += holding.qty * markOf(symbol, holding, market, now);
  }
  return value;
}

/** What an open buy reserves: market orders at the last price plus the venue's buffer. */
export function reservePrice(
  order: Pick<ServerOrder, 'type' | 'symbol' | 'limitPrice' | 'stopPrice'>,
  market: Market,
  now: Date,
  marketBuyBuffer: number,
): number {
  if (order.type === 'limit') return order.limitPrice!;
  if (order.type === 'stop') return order.stopPrice!;
  return (market.priceAt(order.symbol, now) ?? 0) * (1 + marketBuyBuffer);
}

/** A cash account's buying power: cash less what open buys reserve. */
export function buyingPower(book: Book, market: Market, now: Date, buffer: number): number {
  let reserved = 0;
  for (const order of book.working()) {
    if (order.side !== 'buy') continue;
    reserved += (order.qty - order.filledQty) * reservePrice(order, market, now, buffer);
  }
  return Math.max(0, book.cash - reserved);
}

// Equity at the last close before today (the server records one at every close it passes and
// at its start)
function lastEquity(book: Book, now: Date): number {
  const today = newYorkDate(now);
  const passed = [...book.closeEquity.keys()].filter((date) => date < today).sort();
  const last = passed.at(-1);
  return last === undefined ? book.cash : book.closeEquity.get(last)!;
}

/** `GET /v2/account`: a cash account (multiplier 1, no shorting); money fields are strings. */
export function accountWire(book: Book, market: Market, now: Date, buffer: number) {
  const value = equity(book, market, now);
  const power = decimal(buyingPower(book, market, now, buffer));
  const longValue = decimal(value - book.cash);
  return {
    id: ACCOUNT_ID,
    account_number: 'PA3TESTSERVER',
    status: 'ACTIVE',
    crypto_status: 'INACTIVE',
    currency: 'USD',
    buying_power: power,
    regt_buying_power: power,
    daytrading_buying_power: '0',
    effective_buying_power: power,
    non_marginable_buying_power: power,
    options_buying_power: power,
    bod_dtbp: '0',
    cash: decimal(book.cash),
    accrued_fees: '0',
    pending_transfer_in: '0',
    portfolio_value: decimal(value),
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    created_at: '2020-01-02T14:30:00Z',
    trade_suspended_by_user: false,
    multiplier: '1',
    shorting_enabled: false,
    equity: decimal(value),
    last_equity: decimal(lastEquity(book, now)),
    long_market_value: longValue,
    short_market_value: '0',
    position_market_value: longValue,
    initial_margin: '0',
    maintenance_margin: '0',
    last_maintenance_margin: '0',
    sma: '0',
    daytrade_count: 0,
    balance_asof: newYorkDate(now),
    crypto_tier: 0,
    options_trading_level: 0,
    intraday_adjustments: '0',
    pending_reg_taf_fees: '0',
  };
}

/** `GET /v2/positions/{symbol}`: a long position marked at the last price. */
export function positionWire(book: Book, market: Market, now: Date, symbol: string) {
  const holding = book.positions.get(symbol)!;
  const current = markOf(symbol, holding, market, now);
  const lastday = market.previousClose(symbol, now) ?? current;
  const marketValue = holding.qty * current;
  return {
    asset_id: assetId(symbol),
    symbol,
    exchange: exchangeOf(symbol),
    asset_class: 'us_equity',
    asset_marginable: true,
    qty: decimal(holding.qty),
    qty_available: decimal(holding.qty - book.heldForSells(symbol)),
    avg_entry_price: decimal(holding.cost / holding.qty),
    side: holding.qty > 0 ? 'long' : 'short',
    market_value: decimal(marketValue),
    cost_basis: decimal(holding.cost),
    unrealized_pl: decimal(marketValue - holding.cost),
    unrealized_plpc: decimal((marketValue - holding.cost) / holding.cost),
    unrealized_intraday_pl: decimal(holding.qty * (current - lastday)),
    unrealized_intraday_plpc: decimal(current / lastday - 1),
    current_price: decimal(current),
    lastday_price: decimal(lastday),
    change_today: decimal(current / lastday - 1),
  };
}
