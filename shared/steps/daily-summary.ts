import { STRATEGY_IDS, type StrategyId, type TradingConfig } from '../domain/config.js';
import type { ClosedTrade, ExitReason, RiskDecision } from '../domain/model.js';
import { clientOrderId } from '../domain/orders/client-order-id.js';
import { type PendingEntry, type Portfolio, unrealisedPnl } from '../domain/portfolio/portfolio.js';
import { riskReasonInWords } from '../domain/risk/reasons.js';
import type { Order } from '../ports/index.js';
import type {
  DayArtifact,
  ExitsArtifact,
  Refusal,
  RegimeArtifact,
  ReportArtifact,
} from './documents.js';

// The daily email's facts, worked out from the day's artefacts and the equity series: plain data,
// so the HTML and the text part say the same things from one source

/** One open lot marked at the close. */
export interface PositionLine {
  readonly symbol: string;
  readonly strategy: StrategyId;
  readonly qty: number;
  readonly entryDate: string;
  readonly entryPrice: number;
  /** The close; NaN when the day has none for the symbol */
  readonly mark: number;
  readonly stopPrice: number;
  /** Dollars, net of the entry commission */
  readonly pnl: number;
  /** pnl over the lot's cost at entry */
  readonly pnlPercent: number;
  /** Sessions held, the fill day counted as 1 (as the time exits count them) */
  readonly daysHeld: number;
  /** Why the lot sells at the next open, when monitor-exits decided so today */
  readonly exiting: string | null;
}

/** An order decided today: sent, or refused by the venue. */
export interface OrderLine {
  readonly side: 'buy' | 'sell';
  readonly symbol: string;
  readonly strategy: string;
  readonly qty: number;
  /** The entry's sizing close and stop, or the exit's reason */
  readonly detail: string;
  readonly refused: boolean;
  /** The venue's reason for a refusal, when it was recorded */
  readonly refusedBecause: string | null;
}

/** An entry the risk checks stopped. */
export interface RejectedLine {
  readonly symbol: string;
  readonly strategy: StrategyId;
  readonly qty: number;
  readonly price: number;
  /** The reason code as a sentence */
  readonly reason: string;
  /** The check's numbers, e.g. "heat after trade 0.4120 > cap 0.4" */
  readonly detail: string;
}

/** P&L over a period, in dollars and as a fraction of the equity the period started from. */
export interface PeriodResult {
  readonly pnl: number;
  readonly return: number;
}

/** A strategy's (or the whole portfolio's) month to date and since start. */
export interface PerformanceLine {
  readonly strategy: StrategyId | 'portfolio';
  readonly monthToDate: PeriodResult;
  readonly sinceStart: PeriodResult;
  readonly openLots: number;
}

export interface Performance {
  /** The first close in the series: where "since start" begins */
  readonly since: string;
  /** The equity before the first close */
  readonly startEquity: number;
  /** The first day of the report's month */
  readonly monthStart: string;
  readonly days: number;
  readonly strategies: readonly PerformanceLine[];
  readonly portfolio: PerformanceLine;
}

export interface DailySummary {
  readonly date: string;
  /** Alerts first: the trading state's, then the report's anomalies */
  readonly alerts: readonly string[];
  readonly equity: number;
  readonly cash: number;
  /** Dollars; null on the first day */
  readonly dailyPnl: number | null;
  readonly dailyReturn: number | null;
  readonly exposure: number;
  readonly heat: number;
  /** The regime's cap on heat today */
  readonly maxHeat: number;
  readonly drawdown: number;
  readonly peakEquity: number;
  readonly regime: ReportArtifact['regime'];
  readonly vix: number;
  readonly disabledStrategies: readonly StrategyId[];
  readonly tradingState: ReportArtifact['tradingState'];
  readonly tradingStateReason: string;
  /** What the closing portfolio carries to the next run */
  readonly carriedState: RegimeArtifact['carriedState'];
  readonly dailyLossLimit: number;
  readonly maxDrawdownHalt: number | null;
  /** By strategy (STRATEGY_IDS order), then symbol */
  readonly positions: readonly PositionLine[];
  readonly entries: readonly OrderLine[];
  readonly exits: readonly OrderLine[];
  /** The venue's fills applied this morning: entries, exits and stops */
  readonly fills: readonly Order[];
  /** Orders that ended at the venue without a fill */
  readonly unfilled: readonly Order[];
  readonly closedTrades: readonly ClosedTrade[];
  readonly rejected: readonly RejectedLine[];
  readonly inactiveStrategies: ReportArtifact['inactiveStrategies'];
  readonly performance: Performance;
}

export interface DailySummaryInput {
  /** Today's numbers, as the report wrote them to equity/<date> */
  readonly report: ReportArtifact;
  readonly regime: RegimeArtifact;
  readonly day: DayArtifact;
  readonly decisions: readonly RiskDecision[];
  readonly exits: ExitsArtifact;
  /** The orders the venue refused today (entries', exits', re-placed stops'), with its reasons */
  readonly refusals: readonly Refusal[];
  /** The working portfolio at the close: the lots held and the orders sent today */
  readonly portfolio: Portfolio;
  /** The close of each symbol held */
  readonly marks: ReadonlyMap<string, number>;
  /** The market state's session counter today */
  readonly session: number;
  /** equity/<date> for every date so far, today's included, in any order */
  readonly series: readonly ReportArtifact[];
  readonly risk: TradingConfig['risk'];
}

const EXIT_WORDS: Readonly<Record<ExitReason, string>> = {
  strategy: 'strategy exit',
  time: 'time exit',
  stop: 'stop',
  target: 'profit target',
};

// Close enough to the halt threshold to say so before it trips
const HALT_WARNING_SHARE = 0.8;

/** The trading state said out loud: a halt or the daily-loss breaker is never a footnote. */
function stateAlerts(
  report: ReportArtifact,
  regime: RegimeArtifact,
  risk: TradingConfig['risk'],
): string[] {
  const alerts: string[] = [];
  if (report.tradingState === 'HALTED') {
    const byHand = report.tradingStateReason.startsWith('halted by ');
    alerts.push(
      `TRADING HALTED: ${report.tradingStateReason}. No new entries; exits and stops carry on.` +
        (byHand ? ' To resume, set control/trading-state to ACTIVE.' : ''),
    );
  } else if (report.tradingState === 'REDUCING') {
    alerts.push(
      `DAILY-LOSS BREAKER: ${report.tradingStateReason}. No new entries today; exits and stops ` +
        'carry on. It lasts this day only.',
    );
  }
  if (regime.carriedState === 'HALTED') {
    alerts.push(
      'The halt is kept in the closing portfolio and lasts until resumed by hand: set tradingState ' +
        'to ACTIVE in the newest PORTFOLIO item before the next run (docs/state.md).',
    );
  } else if (
    risk.maxDrawdownHalt !== null &&
    report.drawdown >= risk.maxDrawdownHalt * HALT_WARNING_SHARE
  ) {
    alerts.push(
      `Drawdown ${(report.drawdown * 100).toFixed(2)} % is near the halt threshold ` +
        `${(risk.maxDrawdownHalt * 100).toFixed(2)} %.`,
    );
  }
  return alerts;
}

const strategyOrder = (id: string) => STRATEGY_IDS.indexOf(id as StrategyId);

function positionsOf(input: DailySummaryInput): PositionLine[] {
  const { portfolio, marks, session, exits, report } = input;
  const exitingToday = new Set(
    portfolio.pending
      .filter((p) => p.intent === 'exit' && p.decisionDate === report.date)
      .map((p) => p.symbol),
  );
  const exitOf = (symbol: string, strategy: StrategyId): string | null => {
    const decision = exits.exits.find((e) => e.symbol === symbol && e.strategy === strategy);
    if (!decision || !exitingToday.has(symbol)) return null;
    return `sells at the next open (${EXIT_WORDS[decision.reason]})`;
  };
  return portfolio.lots
    .map((lot): PositionLine => {
      const mark = marks.get(lot.symbol) ?? Number.NaN;
      const pnl = unrealisedPnl(lot, mark);
      const cost = lot.entryPrice * lot.qty;
      return {
        symbol: lot.symbol,
        strategy: lot.strategy,
        qty: lot.qty,
        entryDate: lot.entryDate,
        entryPrice: lot.entryPrice,
        mark,
        stopPrice: lot.stopPrice,
        pnl,
        pnlPercent: cost > 0 ? pnl / cost : Number.NaN,
        daysHeld: session - lot.entrySession + 1,
        exiting: exitOf(lot.symbol, lot.strategy),
      };
    })
    .sort(
      (a, b) =>
        strategyOrder(a.strategy) - strategyOrder(b.strategy) || a.symbol.localeCompare(b.symbol),
    );
}

function ordersOf(input: DailySummaryInput): { entries: OrderLine[]; exits: OrderLine[] } {
  const { report, portfolio, decisions, exits, refusals } = input;
  const date = report.date;
  const because = (id: string) => refusals.find((r) => r.clientOrderId === id)?.reason ?? null;
  // Execute-orders and monitor-exits add every order the venue accepted to the pending list: one
  // sent today and not pending was refused
  const pendingToday = new Set(
    portfolio.pending.filter((p) => p.decisionDate === date).map((p) => p.clientOrderId),
  );
  const approved = decisions
    .filter((d) => d.approved)
    .map(
      ({ order }): OrderLine => ({
        side: 'buy',
        symbol: order.symbol,
        strategy: order.strategy,
        qty: order.qty,
        detail: `sized at ${order.price.toFixed(2)}, stop ${order.stopPrice.toFixed(2)}`,
        refused: !pendingToday.has(clientOrderId(date, order.symbol, 'buy', 'entry')),
        refusedBecause: because(clientOrderId(date, order.symbol, 'buy', 'entry')),
      }),
    );
  // Sent by an earlier attempt of this run and kept, though today's decisions did not approve it
  const kept = keptEntries(input).map(
    (entry): OrderLine => ({
      side: 'buy',
      symbol: entry.symbol,
      strategy: entry.strategy,
      qty: entry.qty,
      detail: `kept from an earlier attempt of this run, stop ${entry.stopPrice.toFixed(2)}`,
      refused: false,
      refusedBecause: null,
    }),
  );
  const entries = [...approved, ...kept];
  const symbols = [...new Set(exits.exits.map((e) => e.symbol))];
  const sells = symbols.flatMap((symbol): OrderLine[] => {
    const id = clientOrderId(date, symbol, 'sell', 'exit');
    if (!exits.sent.includes(id)) return [];
    const decided = exits.exits.filter((e) => e.symbol === symbol);
    const lots = portfolio.lots.filter(
      (l) => l.symbol === symbol && decided.some((e) => e.strategy === l.strategy),
    );
    return [
      {
        side: 'sell',
        symbol,
        strategy: [...new Set(decided.map((e) => e.strategy))].join('+'),
        qty: lots.reduce((sum, l) => sum + l.qty, 0),
        detail: decided.map((e) => `${EXIT_WORDS[e.reason]}: ${e.detail}`).join('; '),
        refused: !pendingToday.has(id),
        refusedBecause: because(id),
      },
    ];
  });
  return { entries, exits: sells };
}

/** Today's entries in the books that today's decisions did not approve (see executeOrders). */
function keptEntries({ report, portfolio, decisions }: DailySummaryInput): PendingEntry[] {
  const approved = new Set(decisions.filter((d) => d.approved).map((d) => d.order.symbol));
  return portfolio.pending.filter(
    (p): p is PendingEntry =>
      p.intent === 'entry' && p.decisionDate === report.date && !approved.has(p.symbol),
  );
}

const rejectedOf = (
  decisions: readonly RiskDecision[],
  kept: readonly PendingEntry[],
): RejectedLine[] =>
  decisions.flatMap(({ order, approved, reason, detail }) =>
    approved || reason === null || kept.some((entry) => entry.symbol === order.symbol)
      ? []
      : [
          {
            symbol: order.symbol,
            strategy: order.strategy,
            qty: order.qty,
            price: order.price,
            reason: riskReasonInWords(reason),
            detail,
          },
        ],
  );

const monthStartOf = (date: string) => `${date.slice(0, 7)}-01`;

/**
 * Month to date and since start, per strategy and for the portfolio, from the equity series: a
 * strategy's P&L to a close is its trades closed so far plus its open lots' unrealised P&L then.
 * Percentages are of the equity the period started from (the close before the month, or the
 * first close), so the strategies' shares add up to the portfolio's return less its costs.
 */
export function performanceOf(series: readonly ReportArtifact[], date: string): Performance {
  const days = series.filter((d) => d.date <= date).sort((a, b) => a.date.localeCompare(b.date));
  const monthStart = monthStartOf(date);
  const realised = new Map<StrategyId, number>();
  const totalAt = (day: ReportArtifact): Map<StrategyId, number> => {
    for (const trade of day.closedTrades) {
      realised.set(trade.strategy, (realised.get(trade.strategy) ?? 0) + trade.pnl);
    }
    const totals = new Map(realised);
    for (const [id, open] of Object.entries(day.perStrategy) as [
      StrategyId,
      { unrealisedPnl: number },
    ][]) {
      totals.set(id, (totals.get(id) ?? 0) + open.unrealisedPnl);
    }
    return totals;
  };
  const first = days[0];
  const last = days[days.length - 1];
  // The equity before the first close: a first run's close is an empty book's, its capital
  const startEquity =
    first === undefined
      ? Number.NaN
      : first.dailyReturn === null
        ? first.equity
        : first.equity / (1 + first.dailyReturn);
  let monthEquity = startEquity;
  let beforeMonth = new Map<StrategyId, number>();
  let now = new Map<StrategyId, number>();
  for (const day of days) {
    now = totalAt(day);
    if (day.date < monthStart) {
      beforeMonth = now;
      monthEquity = day.equity;
    }
  }
  const period = (pnl: number, base: number): PeriodResult => ({
    pnl,
    return: base > 0 ? pnl / base : Number.NaN,
  });
  const ids = STRATEGY_IDS.filter((id) => now.has(id) || last?.perStrategy[id] !== undefined);
  const strategies = ids.map(
    (id): PerformanceLine => ({
      strategy: id,
      monthToDate: period((now.get(id) ?? 0) - (beforeMonth.get(id) ?? 0), monthEquity),
      sinceStart: period(now.get(id) ?? 0, startEquity),
      openLots: last?.perStrategy[id]?.lots ?? 0,
    }),
  );
  const equity = last?.equity ?? Number.NaN;
  return {
    since: first?.date ?? date,
    startEquity,
    monthStart,
    days: days.length,
    strategies,
    portfolio: {
      strategy: 'portfolio',
      monthToDate: period(equity - monthEquity, monthEquity),
      sinceStart: period(equity - startEquity, startEquity),
      openLots: strategies.reduce((sum, s) => sum + s.openLots, 0),
    },
  };
}

/** Everything the daily email says, from the report's inputs and the equity series. */
export function summariseDay(input: DailySummaryInput): DailySummary {
  const { report, regime, day, risk, portfolio } = input;
  const positions = positionsOf(input);
  const unmarked = positions
    .filter((p) => !Number.isFinite(p.mark))
    .map((p) => `no closing price for ${p.symbol}: its ${p.strategy} lot is shown unmarked`);
  const { entries, exits } = ordersOf(input);
  return {
    date: report.date,
    alerts: [...stateAlerts(report, regime, risk), ...report.alerts, ...unmarked],
    equity: report.equity,
    cash: report.cash,
    dailyPnl: portfolio.previousEquity === null ? null : report.equity - portfolio.previousEquity,
    dailyReturn: report.dailyReturn,
    exposure: report.exposure,
    heat: report.heat,
    maxHeat: regime.regime.maxHeat,
    drawdown: report.drawdown,
    peakEquity: Math.max(portfolio.peakEquity, report.equity),
    regime: report.regime,
    vix: report.vix,
    disabledStrategies: regime.regime.disabledStrategies,
    tradingState: report.tradingState,
    tradingStateReason: report.tradingStateReason,
    carriedState: regime.carriedState,
    dailyLossLimit: risk.dailyLossLimit,
    maxDrawdownHalt: risk.maxDrawdownHalt,
    positions,
    entries,
    exits,
    fills: day.filled.filter((order) => order.filledQty > 0),
    unfilled: day.unfilled,
    closedTrades: report.closedTrades,
    rejected: rejectedOf(input.decisions, keptEntries(input)),
    inactiveStrategies: report.inactiveStrategies,
    performance: performanceOf(input.series, report.date),
  };
}
