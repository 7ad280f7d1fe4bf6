import { describe, expect, it } from 'vitest';
import { emailSettings } from '../../../shared/domain/config.js';
import type { RiskDecision } from '../../../shared/domain/model.js';
import type { Portfolio } from '../../../shared/domain/portfolio/portfolio.js';
import type { Order } from '../../../shared/ports/index.js';
import {
  type DailySummaryInput,
  performanceOf,
  summariseDay,
} from '../../../shared/steps/daily-summary.js';
import type {
  DayArtifact,
  ExitsArtifact,
  RegimeArtifact,
  ReportArtifact,
} from '../../../shared/steps/documents.js';
import {
  dailyEmail,
  EQUITY_CHART_CID,
  failureEmail,
  marketClosedEmail,
} from '../../../shared/steps/email.js';
import { aConfig, aLot, aReportArtifact, aSizedOrder } from '../../fixtures/builders.js';
import { expectWellFormed } from '../reports/structure.js';

const DATE = '2023-07-06';
const settings = emailSettings(aConfig({ email: { subjectPrefix: '[paper bot]' } }));

/** A day's numbers; the defaults are a quiet ACTIVE day with no alerts. */
const aReport = (overrides: Partial<ReportArtifact> = {}): ReportArtifact =>
  aReportArtifact({ date: DATE, ...overrides });

const regime = (overrides: Partial<RegimeArtifact> = {}): RegimeArtifact => ({
  regime: { name: 'normal', vix: 18.25, maxHeat: 0.3, disabledStrategies: [] },
  tradingState: 'ACTIVE',
  tradingStateReason: 'normal',
  carriedState: 'ACTIVE',
  ...overrides,
});

const aFill = (overrides: Partial<Order>): Order => ({
  clientOrderId: `2023-07-05-${overrides.symbol}-buy-entry`,
  symbol: 'MSFT',
  side: 'buy',
  qty: 10,
  type: 'market',
  intent: 'entry',
  timeInForce: 'gtc',
  status: 'filled',
  submittedAt: '2023-07-05T20:15:00Z',
  filledQty: overrides.qty ?? 10,
  filledAvgPrice: 100,
  filledDate: DATE,
  commission: 0.05,
  rejectReason: null,
  ...overrides,
});

const day = (overrides: Partial<DayArtifact> = {}): DayArtifact => ({
  vix: 18.25,
  account: { cash: 80_000, equity: 101_250.5 },
  closedTrades: [],
  filled: [],
  unfilled: [],
  warmedUpSessions: 0,
  backfilled: [],
  quarantined: [],
  carriedForward: [],
  vixAsOf: null,
  vixStaleSessions: 0,
  nextOrdinal: 0,
  ...overrides,
});

// Two strategies' lots, one of them exiting at the next open
const lots = [
  aLot({ symbol: 'MSFT', qty: 10, entryPrice: 100, entryCommission: 0.05, entrySession: 40 }),
  aLot({
    symbol: 'AAPL',
    strategy: 'ma-crossover',
    qty: 20,
    entryPrice: 150,
    entryCommission: 0.1,
    entrySession: 38,
    entryDate: '2023-06-30',
  }),
  aLot({ symbol: 'XOM', qty: 50, entryPrice: 110, entryCommission: 0.25, entrySession: 42 }),
];
const marks = new Map([
  ['MSFT', 104.5],
  ['AAPL', 147.25],
  ['XOM', 111],
]);

const decisions: RiskDecision[] = [
  {
    order: aSizedOrder({
      symbol: 'NVDA',
      strategy: 'ml-momentum',
      qty: 5,
      price: 420,
      stopPrice: 400,
    }),
    approved: true,
    reason: null,
    detail: 'approved',
  },
  {
    order: aSizedOrder({ symbol: 'TSLA', qty: 30, price: 260 }),
    approved: false,
    reason: 'MAX_HEAT',
    detail: 'heat after trade 0.3120 > cap 0.3',
  },
  {
    order: aSizedOrder({ symbol: 'AMD', qty: 40, price: 110 }),
    approved: false,
    reason: 'INSUFFICIENT_CASH',
    detail: 'needs 4400.00, cash left 1200.00',
  },
];

const exits: ExitsArtifact = {
  exits: [
    { symbol: 'AAPL', strategy: 'ma-crossover', reason: 'strategy', detail: 'fast below slow' },
  ],
  sent: [`${DATE}-AAPL-sell-exit`],
  rejectedAtVenue: 0,
  refused: [],
  held: [],
};

const portfolio: Portfolio = {
  lots,
  pending: [
    {
      intent: 'entry',
      clientOrderId: `${DATE}-NVDA-buy-entry`,
      decisionDate: DATE,
      symbol: 'NVDA',
      qty: 5,
      strategy: 'ml-momentum',
      stopOrderId: `${DATE}-NVDA-sell-stop`,
      stopPrice: 400,
      targetPrice: null,
    },
    {
      intent: 'exit',
      clientOrderId: `${DATE}-AAPL-sell-exit`,
      decisionDate: DATE,
      symbol: 'AAPL',
      qty: 20,
      allocations: [{ strategy: 'ma-crossover', qty: 20, reason: 'strategy', detail: '' }],
    },
  ],
  tradingState: 'ACTIVE',
  previousEquity: 100_000.5,
  peakEquity: 101_656,
  lastRunDate: '2023-07-05',
};

// June: one trade closed, MSFT open at the month's end; July: more
const series: ReportArtifact[] = [
  aReport({ date: '2023-06-28', equity: 100_000, dailyReturn: null, perStrategy: {} }),
  aReport({
    date: '2023-06-30',
    equity: 100_400,
    dailyReturn: 0.004,
    closedTrades: [
      {
        symbol: 'KO',
        strategy: 'rsi-mean-reversion',
        entryDate: '2023-06-28',
        entryPrice: 60,
        exitDate: '2023-06-30',
        exitPrice: 62,
        qty: 100,
        pnl: 199.9,
        costs: 0.1,
        exitReason: 'strategy',
      },
    ],
    perStrategy: { 'rsi-mean-reversion': { marketValue: 1_020, unrealisedPnl: 20, lots: 1 } },
  }),
  aReport({
    equity: 101_250.5,
    perStrategy: {
      'rsi-mean-reversion': { marketValue: 6_595, unrealisedPnl: 94.7, lots: 2 },
      'ma-crossover': { marketValue: 2_945, unrealisedPnl: -55.1, lots: 1 },
    },
    closedTrades: [
      {
        symbol: 'PEP',
        strategy: 'ma-crossover',
        entryDate: '2023-06-29',
        entryPrice: 180,
        exitDate: DATE,
        exitPrice: 185,
        qty: 10,
        pnl: 49.9,
        costs: 0.1,
        exitReason: 'time',
      },
    ],
  }),
];

function input(overrides: Partial<DailySummaryInput> = {}): DailySummaryInput {
  return {
    report: series[2]!,
    regime: regime(),
    day: day({
      filled: [aFill({ symbol: 'XOM', qty: 50, filledAvgPrice: 110, filledQty: 50 })],
      closedTrades: series[2]!.closedTrades,
    }),
    decisions,
    exits,
    refusals: [],
    portfolio,
    marks,
    session: 42,
    series,
    risk: aConfig().risk,
    ...overrides,
  };
}

const emailOf = (overrides: Partial<DailySummaryInput> = {}) =>
  dailyEmail(summariseDay(input(overrides)), settings);

/** The HTML with its tags removed, as a reader sees the words. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&quot;/g, "'")
    .replace(/\s+/g, ' ');

/** The rows of one table, each as its cells' words. */
function rowsOf(html: string, table: string): string[][] {
  const start = html.indexOf(`data-table="${table}"`);
  expect(start, `table ${table}`).toBeGreaterThan(-1);
  const body = html.slice(start, html.indexOf('</table>', start));
  const tbody = body.slice(body.indexOf('<tbody>'));
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => words(cell[1]!).trim()),
  );
}

const halted = () =>
  input({
    report: aReport({
      ...series[2]!,
      tradingState: 'HALTED',
      tradingStateReason: 'halted by alice at 2023-07-06T14:30:00Z: broker maintenance',
      alerts: ['TSLA quarantined (no entry, no exit today): the broker holds 3, the books 0'],
    }),
    regime: regime({ tradingState: 'HALTED' }),
  });

describe('the daily email', () => {
  it('puts the alerts first: a red box at the top of the HTML and the first lines of the text', () => {
    const message = dailyEmail(summariseDay(halted()), settings);

    const body = message.html.slice(message.html.indexOf('<body'));
    const content = body.slice(body.indexOf('>', body.indexOf('<div')) + 1);
    expect(content).toMatch(/^<div data-section="alerts" role="alert"/);
    const box = content.slice(0, content.indexOf('</ul></div>'));
    expect(box).toContain('2 ALERTS');
    expect(box).toContain('TRADING HALTED: halted by alice');
    expect(box).toContain('set control/trading-state to ACTIVE');
    expect(box).toContain('TSLA quarantined');

    const lines = message.text.split('\n');
    expect(lines[0]).toBe(message.subject);
    expect(lines.slice(2, 5)).toEqual([
      '!!! 2 ALERTS: read these first',
      expect.stringMatching(/^! TRADING HALTED: halted by alice .* No new entries/),
      expect.stringMatching(/^! TSLA quarantined/),
    ]);
    expect(message.subject).toBe(
      '[paper bot] 2023-07-06 [2 ALERTS]: $101,250.50, +1.25 % on the day',
    );
  });

  it.each([
    {
      state: 'REDUCING' as const,
      reason: 'equity -2.10 % on the day, breaker at -2 %',
      carried: 'ACTIVE' as const,
      alert: /^DAILY-LOSS BREAKER: equity -2.10 % .* It lasts this day only\.$/,
    },
    {
      state: 'HALTED' as const,
      reason: 'drawdown 0.2000 reached the halt threshold 0.2',
      carried: 'HALTED' as const,
      alert: /set tradingState to ACTIVE in the newest PORTFOLIO item/,
    },
  ])('says $state out loud, with what to do', ({ state, reason, carried, alert }) => {
    const summary = summariseDay(
      input({
        report: aReport({ ...series[2]!, tradingState: state, tradingStateReason: reason }),
        regime: regime({ tradingState: state, tradingStateReason: reason, carriedState: carried }),
      }),
    );
    expect(summary.alerts).toContainEqual(expect.stringMatching(alert));
    expect(dailyEmail(summary, settings).html).toContain('data-section="alerts"');
  });

  it('has no alert box and no flag in the subject on a quiet day', () => {
    const message = emailOf();

    expect(message.html).not.toContain('data-section="alerts"');
    expect(message.text).not.toContain('ALERT');
    expect(message.subject).toBe('[paper bot] 2023-07-06: $101,250.50, +1.25 % on the day');
  });

  it('lists every open lot by strategy with entry, mark, P&L in dollars and percent, and days held', () => {
    const { html, text } = emailOf();

    // MSFT: (104.50 - 100) × 10 - 0.05 = 44.95, of a 1,000 cost; XOM: 1 × 50 - 0.25 = 49.75
    expect(rowsOf(html, 'positions-rsi-mean-reversion')).toEqual([
      ['MSFT 10 sh, stop 96.00', '100.00 104.50', '+$44.95 +4.50 %', '3'],
      ['XOM 50 sh, stop 96.00', '110.00 111.00', '+$49.75 +0.90 %', '1'],
    ]);
    // AAPL: (147.25 - 150) × 20 - 0.10 = -55.10 of 3,000
    expect(rowsOf(html, 'positions-ma-crossover')).toEqual([
      [
        'AAPL 20 sh, stop 96.00 sells at the next open (strategy exit)',
        '150.00 147.25',
        '-$55.10 -1.84 %',
        '5',
      ],
    ]);
    expect(html.indexOf('positions-rsi-mean-reversion')).toBeLessThan(
      html.indexOf('positions-ma-crossover'),
    );
    expect(text).toContain(
      '  MSFT 10 sh: entry 100.00, mark 104.50, +$44.95 (+4.50 %), 3 days, stop 96.00',
    );
    expect(text).toContain('  XOM 50 sh: entry 110.00, mark 111.00, +$49.75 (+0.90 %), 1 day');
    expect(text).toContain('rsi-mean-reversion: 2 lots, +$94.70');
  });

  it("lists today's orders, the morning's fills and the closed trades", () => {
    const { html, text } = emailOf();

    expect(rowsOf(html, 'orders')).toEqual([
      ['BUY 5 NVDA ml-momentum', 'sized at 420.00, stop 400.00', 'sent: fills at the next open'],
      [
        'SELL 20 AAPL ma-crossover',
        'strategy exit: fast below slow',
        'sent: fills at the next open',
      ],
    ]);
    expect(rowsOf(html, 'fills')).toEqual([['BUY 50 XOM', '110.00', 'entry']]);
    expect(rowsOf(html, 'closed-trades')).toEqual([
      ['10 PEP ma-crossover, time', '180.00 185.00', '+$49.90'],
    ]);
    expect(text).toContain('  BUY 5 NVDA (ml-momentum): sized at 420.00, stop 400.00; fills at');
    expect(text).toContain('  BUY 50 XOM at 110.00 (entry)');
    expect(text).toContain('  10 PEP (ma-crossover, time): 180.00 -> 185.00, +$49.90');
  });

  it('marks an entry the venue refused', () => {
    const { html, text } = emailOf({
      portfolio: { ...portfolio, pending: portfolio.pending.filter((p) => p.symbol !== 'NVDA') },
    });

    expect(rowsOf(html, 'orders')[0]).toEqual([
      'BUY 5 NVDA ml-momentum',
      'sized at 420.00, stop 400.00',
      'refused by the venue',
    ]);
    expect(text).toContain('stop 400.00; REFUSED by the venue');
  });

  it("says why the venue refused an order, in the venue's words", () => {
    const { html, text } = emailOf({
      portfolio: { ...portfolio, pending: portfolio.pending.filter((p) => p.symbol !== 'NVDA') },
      refusals: [
        {
          clientOrderId: `${DATE}-NVDA-buy-entry`,
          symbol: 'NVDA',
          side: 'buy',
          intent: 'entry',
          qty: 5,
          reason: '403 potential wash trade detected. use complex orders',
        },
      ],
    });

    expect(rowsOf(html, 'orders')[0]?.[2]).toBe(
      'refused by the venue: 403 potential wash trade detected. use complex orders',
    );
    expect(text).toContain(
      'stop 400.00; REFUSED by the venue: 403 potential wash trade detected. use complex orders',
    );
  });

  it('lists the orders the risk checks stopped with their reasons in words, never the codes', () => {
    const { html, text } = emailOf();

    expect(rowsOf(html, 'rejected')).toEqual([
      [
        'BUY 30 TSLA ma-crossover, at 260.00',
        "The order would have taken heat above the regime's cap. heat after trade 0.3120 > cap 0.3",
      ],
      [
        'BUY 40 AMD ma-crossover, at 110.00',
        'Not enough cash left for the order and its costs. needs 4400.00, cash left 1200.00',
      ],
    ]);
    expect(text).toContain(
      "  BUY 30 TSLA (ma-crossover, at 260.00): The order would have taken heat above the regime's cap.",
    );
    for (const part of [html, text]) expect(part).not.toMatch(/MAX_HEAT|INSUFFICIENT_CASH/);
  });

  it('lists an entry kept from an earlier attempt among the orders, not the rejections', () => {
    // The resumed run's decisions stopped TSLA, but its crashed first attempt had sent it
    const kept = {
      intent: 'entry' as const,
      clientOrderId: `${DATE}-TSLA-buy-entry`,
      decisionDate: DATE,
      symbol: 'TSLA',
      qty: 28,
      strategy: 'ma-crossover' as const,
      stopOrderId: `${DATE}-TSLA-sell-stop`,
      stopPrice: 240,
      targetPrice: null,
    };
    const { html } = emailOf({
      portfolio: { ...portfolio, pending: [...portfolio.pending, kept] },
    });

    expect(rowsOf(html, 'orders')).toContainEqual([
      'BUY 28 TSLA ma-crossover',
      'kept from an earlier attempt of this run, stop 240.00',
      'sent: fills at the next open',
    ]);
    expect(rowsOf(html, 'rejected').map((row) => row[0])).toEqual([
      'BUY 40 AMD ma-crossover, at 110.00',
    ]);
  });

  it('gives each strategy month to date and since start, from the equity series', () => {
    const { html, text } = emailOf();

    // rsi: June's close 199.90 realised + 20 open = 219.90; July's 199.90 + 94.70 = 294.60.
    // ma-crossover: 0 in June; 49.90 - 55.10 = -5.20 in July. Month base 100,400, start 100,000
    expect(rowsOf(html, 'performance')).toEqual([
      ['rsi-mean-reversion 2 open lots', '+$74.70 +0.07 %', '+$294.60 +0.29 %'],
      ['ma-crossover 1 open lot', '-$5.20 -0.01 %', '-$5.20 -0.01 %'],
      ['Portfolio', '+$850.50 +0.85 %', '+$1,250.50 +1.25 %'],
    ]);
    expect(html).toContain('Since 2023-06-28');
    expect(text).toContain('  rsi-mean-reversion: +$74.70 (+0.07 %); +$294.60 (+0.29 %)');
    expect(text).toContain('  Portfolio: +$850.50 (+0.85 %); +$1,250.50 (+1.25 %)');
  });

  it('shows heat against the cap, drawdown, regime and VIX, and the trading state', () => {
    const { html, text } = emailOf();

    for (const part of [words(html), text]) {
      expect(part).toContain('20.99 % of a 30.00 % cap (normal regime)');
      expect(part).toContain('0.40 % below the peak of $101,656.00');
      expect(part).toContain('normal, VIX 18.25');
      expect(part).toContain('ACTIVE: normal');
    }
  });

  it('carries the same key numbers in the HTML and the plain text', () => {
    const { html, text } = emailOf();

    for (const figure of [
      '$101,250.50',
      '$80,000.00',
      '+$1,250.00 (+1.25 %)',
      '+$44.95',
      '-$55.10',
      '+$49.90',
      '20.99 %',
    ]) {
      expect(words(html), figure).toContain(figure);
      expect(text, figure).toContain(figure);
    }
  });

  it('uses no external resource, no style block and nothing a narrow client cannot show', () => {
    const message = dailyEmail(summariseDay(halted()), settings, {
      png: new Uint8Array([137, 80, 78, 71]),
      alt: 'equity from $100,000.00 to $101,250.50',
    });

    expectWellFormed(message.html, true);
    expect(message.html).not.toMatch(/https?:|<link|<style|<script|url\(|@import/i);
    for (const [, src] of message.html.matchAll(/\ssrc="([^"]*)"/g)) expect(src).toMatch(/^cid:/);
    expect(message.html).toContain(`src="cid:${EQUITY_CHART_CID}"`);
    expect(message.images).toEqual([
      { cid: EQUITY_CHART_CID, filename: 'equity-2023-07-06.png', png: expect.any(Uint8Array) },
    ]);
    // Few columns: no table wider than four
    for (const head of message.html.matchAll(/<thead><tr>([\s\S]*?)<\/tr><\/thead>/g)) {
      expect(head[1]!.match(/<th /g)!.length).toBeLessThanOrEqual(4);
    }
    expect(message.html).toContain('max-width:600px');
    expect(message.text).toContain('Chart (in the HTML part): equity from $100,000.00');
  });

  it('never prints NaN or undefined: a lot without a close shows a dash and an alert', () => {
    const message = emailOf({
      marks: new Map([['MSFT', 104.5]]),
      portfolio: { ...portfolio, previousEquity: null },
      report: aReport({ ...series[2]!, dailyReturn: null }),
      series: [],
    });

    for (const part of [message.html, message.text, message.subject]) {
      expect(part).not.toMatch(/NaN|undefined|null|Infinity/);
    }
    expect(message.text).toContain('no closing price for AAPL');
    expect(message.text).toContain('AAPL 20 sh: entry 150.00, mark –, –');
    expect(message.text).toContain('Today: first day: no previous close');
  });

  it('says when the chart could not be drawn, and goes without it', () => {
    const message = dailyEmail(summariseDay(input()), settings, { error: 'chart fonts not found' });

    expect(message.images).toBeUndefined();
    expect(message.html).not.toContain('<img');
    expect(message.text).toContain('Equity chart not drawn: chart fonts not found');
  });
});

describe('performanceOf', () => {
  it('starts the month from the last close before it, and since start from the first', () => {
    const performance = performanceOf(series, DATE);

    expect(performance).toMatchObject({ since: '2023-06-28', monthStart: '2023-07-01', days: 3 });
    expect(performance.startEquity).toBe(100_000);
    expect(performance.portfolio.monthToDate.pnl).toBeCloseTo(850.5, 6);
  });

  it('leaves out closes after the date', () => {
    expect(performanceOf(series, '2023-06-30').portfolio.sinceStart.pnl).toBeCloseTo(400, 6);
  });
});

describe('the market-closed and failure emails', () => {
  it('market closed: short, with the prefix', () => {
    const message = marketClosedEmail('2023-07-04', 'Independence Day', settings);

    expect(message.subject).toBe('[paper bot] 2023-07-04: market closed');
    expect(message.text).toBe(
      '[paper bot] 2023-07-04: market closed\n\n' +
        'The market is closed on 2023-07-04 (Independence Day).\n' +
        'No data fetched, no orders sent. Stops at the broker stay in place.\n',
    );
    expectWellFormed(message.html, true);
  });

  it('a failure: which step, the error and what to do, in the red box and the text', () => {
    const message = failureEmail(
      {
        tradingDate: DATE,
        step: 'fetch-data',
        error: 'UnfinishedRunError',
        cause: 'the run of 2023-07-05 is failed: resume it first',
        runId: 'arn:aws:states:us-east-1:1:execution:daily:abc',
      },
      settings,
    );

    expect(message.subject).toBe('[paper bot] 2023-07-06: RUN FAILED at fetch-data');
    const body = message.html.slice(message.html.indexOf('<body'));
    expect(body.indexOf('data-section="alerts"')).toBeLessThan(body.indexOf('<h1'));
    expect(words(message.html)).toContain(
      'The daily run of 2023-07-06 failed in fetch-data: UnfinishedRunError.',
    );
    expect(words(message.html)).toContain('Start that date again first, then this one.');
    expect(message.html).not.toMatch(/https?:/);
    expectWellFormed(message.html, true);
    const lines = message.text.split('\n');
    expect(lines.slice(2, 5)).toEqual([
      '!!! RUN FAILED',
      '! The daily run of 2023-07-06 failed in fetch-data: UnfinishedRunError.',
      '! the run of 2023-07-05 is failed: resume it first',
    ]);
    expect(message.text).toContain('1. An earlier date did not finish');
    expect(message.text).toContain(
      '2. Orders already sent stay at the broker, protected by their stops. When the cause is ' +
        'fixed, start the run for this date again ({"tradingDate": "2023-07-06"})',
    );
    expect(message.text).toContain('Run: arn:aws:states:us-east-1:1:execution:daily:abc');
  });

  it.each([
    {
      error: 'BrokerUnavailableError',
      advice: /stayed unavailable through every retry/,
      resume: true,
    },
    { error: 'States.Timeout', advice: /ran out of time/, resume: true },
    { error: 'SomethingElse', advice: /Read the error below/, resume: true },
    { error: 'RunOrderError', advice: /can no longer run/, resume: false },
    { error: 'RunInProgressError', advice: /Wait for it to end/, resume: false },
  ])('advises on $error', ({ error, advice, resume }) => {
    const message = failureEmail(
      { tradingDate: DATE, step: 'report', error, cause: 'x', runId: 'r' },
      settings,
    );
    expect(message.text).toMatch(advice);
    expect(message.text.includes('start the run for this date again')).toBe(resume);
  });
});
