import type { EmailSettings } from '../domain/config.js';
import { TRANSIENT_ERRORS } from '../domain/errors.js';
import type { EmailMessage, InlineImage } from '../ports/index.js';
import type { DailySummary, PerformanceLine, PositionLine } from './daily-summary.js';
import {
  alertBox,
  facts,
  type Html,
  heading,
  inlineImage,
  list,
  money,
  muted,
  page,
  paragraph,
  percent,
  plural,
  price,
  section,
  signedMoney,
  signedPercent,
  stacked,
  strong,
  subheading,
  table,
  textHeading,
  toned,
} from './email-layout.js';

// The three emails of a run, each one HTML and one plain-text part saying the same things: the
// daily summary, the market-closed note and the failure report. Alerts come first in both parts

/** The equity chart's content id: the HTML shows it as <img src="cid:equity-chart">. */
export const EQUITY_CHART_CID = 'equity-chart';

/** The equity chart as an inline PNG, with what it shows in words for a reader without images. */
export interface EmailChart {
  readonly png: Uint8Array;
  readonly alt: string;
}

/** The chart could not be drawn: the email says so and goes without it. */
export interface ChartFailure {
  readonly error: string;
}

type ChartPart = EmailChart | ChartFailure | undefined;
const drawn = (chart: ChartPart): chart is EmailChart => chart !== undefined && 'png' in chart;
const chartNote = (chart: ChartPart) =>
  chart !== undefined && 'error' in chart ? `Equity chart not drawn: ${chart.error}` : null;

const textOf = (lines: readonly string[]) => `${lines.join('\n').trim()}\n`;

const bullets = (items: readonly string[], mark = '-') => items.map((item) => `${mark} ${item}`);

const alertCount = (count: number) => plural(count, 'ALERT', 'ALERTS');
const alertTitle = (count: number) => `${alertCount(count)}: read these first`;

function textAlerts(alerts: readonly string[], title = alertTitle(alerts.length)): string[] {
  if (alerts.length === 0) return [];
  return [`!!! ${title}`, ...bullets(alerts, '!'), ''];
}

const dayChange = (s: DailySummary) =>
  s.dailyPnl === null || s.dailyReturn === null
    ? 'first day: no previous close'
    : `${signedMoney(s.dailyPnl)} (${signedPercent(s.dailyReturn)})`;

const heatText = (s: DailySummary) =>
  `${percent(s.heat)} of a ${percent(s.maxHeat)} cap (${s.regime} regime)`;

const drawdownText = (s: DailySummary) =>
  `${percent(s.drawdown)} below the peak of ${money(s.peakEquity)}` +
  (s.maxDrawdownHalt === null ? '' : `; halts at ${percent(s.maxDrawdownHalt)}`);

const stateText = (s: DailySummary) =>
  `${s.tradingState}: ${s.tradingStateReason}` +
  (s.carriedState !== s.tradingState ? ` (the next run starts ${s.carriedState})` : '');

const lotsByStrategy = (positions: readonly PositionLine[]) => {
  const groups = new Map<string, PositionLine[]>();
  for (const p of positions) groups.set(p.strategy, [...(groups.get(p.strategy) ?? []), p]);
  return [...groups];
};

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);

const periodText = (p: PerformanceLine['monthToDate']) =>
  `${signedMoney(p.pnl)} (${signedPercent(p.return)})`;

function dailyHtml(s: DailySummary, title: string, chart: ChartPart): string {
  const note = chartNote(chart);
  const parts: Html[] = [];
  if (s.alerts.length > 0) parts.push(alertBox(alertTitle(s.alerts.length), s.alerts));
  parts.push(heading(`Daily report, close of ${s.date}`));

  parts.push(
    section(
      'portfolio',
      'Portfolio',
      facts('portfolio', [
        ['Value', stacked(strong(money(s.equity)), muted(`cash ${money(s.cash)}`))],
        ['Today', s.dailyPnl === null ? dayChange(s) : toned(dayChange(s), s.dailyPnl)],
        ['Invested', `${money(s.exposure)} in ${plural(s.positions.length, 'lot')}`],
      ]),
      ...(drawn(chart) ? [inlineImage(EQUITY_CHART_CID, `Chart: ${chart.alt}`)] : []),
      ...(note ? [paragraph(muted(note))] : []),
    ),
  );

  const positions: Html[] = [];
  for (const [strategy, lots] of lotsByStrategy(s.positions)) {
    const pnl = sum(lots.map((l) => l.pnl));
    positions.push(
      subheading(strategy, `${plural(lots.length, 'lot')}, ${signedMoney(pnl)}`),
      table(
        `positions-${strategy}`,
        [
          { title: 'Symbol' },
          { title: 'Entry / mark', align: 'right' },
          { title: 'P&L', align: 'right' },
          { title: 'Days', align: 'right' },
        ],
        lots.map((l) => [
          stacked(
            strong(l.symbol),
            muted(`${l.qty} sh, stop ${price(l.stopPrice)}`),
            ...(l.exiting ? [muted(l.exiting)] : []),
          ),
          stacked(price(l.entryPrice), price(l.mark)),
          stacked(toned(signedMoney(l.pnl), l.pnl), toned(signedPercent(l.pnlPercent), l.pnl)),
          String(l.daysHeld),
        ]),
      ),
    );
  }
  parts.push(
    section(
      'positions',
      `Open positions (${s.positions.length})`,
      ...(positions.length > 0 ? positions : [paragraph('No open positions.')]),
    ),
  );

  const orders: Html[] = [];
  const orderRows = [...s.entries, ...s.exits].map((o) => [
    stacked(strong(`${o.side.toUpperCase()} ${o.qty} ${o.symbol}`), muted(o.strategy)),
    o.detail,
    o.refused
      ? toned(`refused by the venue${o.refusedBecause ? `: ${o.refusedBecause}` : ''}`, -1)
      : 'sent: fills at the next open',
  ]);
  orders.push(
    subheading('Sent today'),
    orderRows.length > 0
      ? table('orders', [{ title: 'Order' }, { title: 'Why' }, { title: 'Status' }], orderRows)
      : paragraph('No orders sent.'),
  );
  orders.push(subheading('Filled this morning'));
  orders.push(
    s.fills.length > 0
      ? table(
          'fills',
          [{ title: 'Fill' }, { title: 'Price', align: 'right' }, { title: 'Kind' }],
          s.fills.map((f) => [
            strong(`${f.side.toUpperCase()} ${f.filledQty} ${f.symbol}`),
            price(f.filledAvgPrice ?? Number.NaN),
            f.intent,
          ]),
        )
      : paragraph('No fills.'),
  );
  if (s.closedTrades.length > 0) {
    orders.push(
      subheading('Trades closed'),
      table(
        'closed-trades',
        [
          { title: 'Trade' },
          { title: 'Entry / exit', align: 'right' },
          { title: 'P&L', align: 'right' },
        ],
        s.closedTrades.map((t) => [
          stacked(strong(`${t.qty} ${t.symbol}`), muted(`${t.strategy}, ${t.exitReason}`)),
          stacked(price(t.entryPrice), price(t.exitPrice)),
          toned(signedMoney(t.pnl), t.pnl),
        ]),
      ),
    );
  }
  if (s.unfilled.length > 0) {
    orders.push(
      subheading('Ended without a fill'),
      list(
        s.unfilled.map(
          (o) =>
            `${o.side.toUpperCase()} ${o.qty} ${o.symbol} (${o.intent}): ${o.status}` +
            (o.rejectReason ? `, ${o.rejectReason}` : ''),
        ),
      ),
    );
  }
  orders.push(subheading('Stopped by the risk checks'));
  orders.push(
    s.rejected.length > 0
      ? table(
          'rejected',
          [{ title: 'Order' }, { title: 'Why it was not sent' }],
          s.rejected.map((r) => [
            stacked(
              strong(`BUY ${r.qty} ${r.symbol}`),
              muted(`${r.strategy}, at ${price(r.price)}`),
            ),
            stacked(r.reason, muted(r.detail)),
          ]),
        )
      : paragraph('None.'),
  );
  parts.push(section('orders', 'Orders and fills', ...orders));

  const perf = s.performance;
  parts.push(
    section(
      'performance',
      'Performance',
      table(
        'performance',
        [
          { title: 'Strategy' },
          { title: 'Month to date', align: 'right' },
          { title: `Since ${perf.since}`, align: 'right' },
        ],
        [...perf.strategies, perf.portfolio].map((line) => [
          line.strategy === 'portfolio'
            ? strong('Portfolio')
            : stacked(line.strategy, muted(plural(line.openLots, 'open lot'))),
          stacked(
            toned(signedMoney(line.monthToDate.pnl), line.monthToDate.pnl),
            toned(signedPercent(line.monthToDate.return), line.monthToDate.pnl),
          ),
          stacked(
            toned(signedMoney(line.sinceStart.pnl), line.sinceStart.pnl),
            toned(signedPercent(line.sinceStart.return), line.sinceStart.pnl),
          ),
        ]),
      ),
      paragraph(
        muted(
          `Over ${plural(perf.days, 'trading day')}; a strategy's P&L is its closed trades plus ` +
            'its open lots, net of commissions, as a share of the equity the period began with.',
        ),
      ),
    ),
  );

  const inactive = Object.entries(s.inactiveStrategies).map(([id, why]) => `${id}: ${why}`);
  parts.push(
    section(
      'risk',
      'Risk',
      facts('risk', [
        ['Heat', heatText(s)],
        ['Drawdown', drawdownText(s)],
        ['Regime', `${s.regime}, VIX ${price(s.vix)}`],
        ['Trading', stateText(s)],
        ['Loss breaker', `REDUCING at ${signedPercent(-s.dailyLossLimit)} on a day`],
        ...(s.disabledStrategies.length > 0
          ? [['Off in regime', s.disabledStrategies.join(', ')] as const]
          : []),
        ...(inactive.length > 0 ? [['Inactive', inactive.join('; ')] as const] : []),
      ]),
    ),
  );
  return page(title, parts, `Numbers at the close of ${s.date}. Marks are closing prices.`);
}

function dailyText(s: DailySummary, title: string, chart: ChartPart): string[] {
  const lines = [title, '', ...textAlerts(s.alerts)];
  lines.push(
    'PORTFOLIO',
    `Value: ${money(s.equity)} (cash ${money(s.cash)})`,
    `Today: ${dayChange(s)}`,
    `Invested: ${money(s.exposure)} in ${plural(s.positions.length, 'lot')}`,
  );
  if (drawn(chart)) lines.push(`Chart (in the HTML part): ${chart.alt}`);
  const note = chartNote(chart);
  if (note) lines.push(note);

  lines.push(...textHeading(`Open positions (${s.positions.length})`));
  if (s.positions.length === 0) lines.push('None.');
  for (const [strategy, lots] of lotsByStrategy(s.positions)) {
    const pnl = sum(lots.map((l) => l.pnl));
    lines.push(`${strategy}: ${plural(lots.length, 'lot')}, ${signedMoney(pnl)}`);
    for (const l of lots) {
      lines.push(
        `  ${l.symbol} ${l.qty} sh: entry ${price(l.entryPrice)}, mark ${price(l.mark)}, ` +
          `${signedMoney(l.pnl)} (${signedPercent(l.pnlPercent)}), ${plural(l.daysHeld, 'day')}, ` +
          `stop ${price(l.stopPrice)}` +
          (l.exiting ? `; ${l.exiting}` : ''),
      );
    }
  }

  lines.push(...textHeading('Orders and fills'), 'Sent today:');
  const orders = [...s.entries, ...s.exits];
  if (orders.length === 0) lines.push('  none');
  for (const o of orders) {
    lines.push(
      `  ${o.side.toUpperCase()} ${o.qty} ${o.symbol} (${o.strategy}): ${o.detail}; ` +
        (o.refused
          ? `REFUSED by the venue${o.refusedBecause ? `: ${o.refusedBecause}` : ''}`
          : 'fills at the next open'),
    );
  }
  lines.push('Filled this morning:');
  if (s.fills.length === 0) lines.push('  none');
  for (const f of s.fills) {
    lines.push(
      `  ${f.side.toUpperCase()} ${f.filledQty} ${f.symbol} at ${price(f.filledAvgPrice ?? Number.NaN)} (${f.intent})`,
    );
  }
  if (s.closedTrades.length > 0) {
    lines.push('Trades closed:');
    for (const t of s.closedTrades) {
      lines.push(
        `  ${t.qty} ${t.symbol} (${t.strategy}, ${t.exitReason}): ${price(t.entryPrice)} -> ` +
          `${price(t.exitPrice)}, ${signedMoney(t.pnl)}`,
      );
    }
  }
  if (s.unfilled.length > 0) {
    lines.push('Ended without a fill:');
    for (const o of s.unfilled) {
      lines.push(
        `  ${o.side.toUpperCase()} ${o.qty} ${o.symbol} (${o.intent}): ${o.status}` +
          (o.rejectReason ? `, ${o.rejectReason}` : ''),
      );
    }
  }
  lines.push('Stopped by the risk checks:');
  if (s.rejected.length === 0) lines.push('  none');
  for (const r of s.rejected) {
    lines.push(
      `  BUY ${r.qty} ${r.symbol} (${r.strategy}, at ${price(r.price)}): ${r.reason} [${r.detail}]`,
    );
  }

  const perf = s.performance;
  lines.push(
    ...textHeading('Performance'),
    `Month to date, and since ${perf.since} (${plural(perf.days, 'trading day')}):`,
  );
  for (const line of [...perf.strategies, perf.portfolio]) {
    const name = line.strategy === 'portfolio' ? 'Portfolio' : line.strategy;
    lines.push(`  ${name}: ${periodText(line.monthToDate)}; ${periodText(line.sinceStart)}`);
  }

  lines.push(
    ...textHeading('Risk'),
    `Heat: ${heatText(s)}`,
    `Drawdown: ${drawdownText(s)}`,
    `Regime: ${s.regime}, VIX ${price(s.vix)}`,
    `Trading: ${stateText(s)}`,
    `Loss breaker: REDUCING at ${signedPercent(-s.dailyLossLimit)} on a day`,
  );
  if (s.disabledStrategies.length > 0) {
    lines.push(`Off in this regime: ${s.disabledStrategies.join(', ')}`);
  }
  for (const [id, why] of Object.entries(s.inactiveStrategies))
    lines.push(`Inactive: ${id} (${why})`);
  return lines;
}

/** The daily summary of a completed run; the chart, when given, goes inline in the HTML part. */
export function dailyEmail(
  summary: DailySummary,
  settings: EmailSettings,
  chart?: EmailChart | ChartFailure,
): EmailMessage {
  const flag = summary.alerts.length > 0 ? ` [${alertCount(summary.alerts.length)}]` : '';
  const change =
    summary.dailyReturn === null ? '' : `, ${signedPercent(summary.dailyReturn)} on the day`;
  const subject = `${settings.subjectPrefix} ${summary.date}${flag}: ${money(summary.equity)}${change}`;
  const images: InlineImage[] = drawn(chart)
    ? [{ cid: EQUITY_CHART_CID, filename: `equity-${summary.date}.png`, png: chart.png }]
    : [];
  return {
    kind: 'daily',
    tradingDate: summary.date,
    subject,
    text: textOf(dailyText(summary, subject, chart)),
    html: dailyHtml(summary, subject, chart),
    ...(images.length > 0 && { images }),
  };
}

/** The market was closed: nothing ran. */
export function marketClosedEmail(
  tradingDate: string,
  reason: string,
  settings: EmailSettings,
): EmailMessage {
  const subject = `${settings.subjectPrefix} ${tradingDate}: market closed`;
  // Short lines: the text part stays 7-bit, readable in the raw message too
  const line = `The market is closed on ${tradingDate} (${reason}).`;
  const note = 'No data fetched, no orders sent. Stops at the broker stay in place.';
  return {
    kind: 'market-closed',
    tradingDate,
    subject,
    text: textOf([subject, '', line, note]),
    html: page(subject, [
      heading(`Market closed, ${tradingDate}`),
      paragraph(line),
      paragraph(note),
    ]),
  };
}

/** What failed: the step, the error's name and its message, for the run of a date. */
export interface RunFailure {
  readonly tradingDate: string;
  readonly step: string;
  /** The error's name, e.g. UnfinishedRunError or States.Timeout */
  readonly error: string;
  readonly cause: string;
  readonly runId: string;
}

const SAFE = 'Orders already sent stay at the broker, protected by their stops.';
const resume = (tradingDate: string) =>
  `When the cause is fixed, start the run for this date again ({"tradingDate": "${tradingDate}"}): ` +
  'it resumes where it stopped and sends nothing twice.';
// Failures after which starting this date again is not the way on
const NO_RESUME = new Set(['RunOrderError', 'RunInProgressError']);

// What a person does about the failures the core names; anything else gets the general advice
const ADVICE: Readonly<Record<string, string>> = {
  UnfinishedRunError:
    'An earlier date did not finish (the message names it). Start that date again first, then this one.',
  RunOrderError:
    'A later date has already closed, so this date can no longer run. Check the date or the schedule; there is nothing to resume.',
  RunInProgressError:
    "Another execution holds this date's claim (45 minutes from its start). Wait for it to end; start again only if it failed.",
  StateMismatchError:
    'The config or the universe no longer matches the stored market state. Revert the change, or rebuild the state from history (docs/state.md, Rebuilding the state).',
  MissingStateError:
    'A document the run needs is missing (the message names it). Restore it before starting again (docs/state.md, What is safe to delete).',
  CorruptStateError:
    'A stored document does not match its schema (the message names the key and the fields). Fix or restore it by hand before starting again.',
  ConfigError: 'The trading config is invalid. Fix the fields the message lists, then deploy it.',
  ReconciliationError:
    'The books contradict themselves. Compare the newest PORTFOLIO item with the broker and correct it by hand.',
  DataValidationError:
    'Market data broke a rule (the message names the file, line and reason). Fix the data first.',
  InvalidInputError:
    'An input could not be used (the message says which). Fix it; if it was the start event, start with {"tradingDate": "YYYY-MM-DD"}.',
  'States.Timeout':
    "A step or the workflow ran out of time. Check the step's logs for where it stalled.",
};

const TRANSIENT_ADVICE =
  'A service stayed unavailable through every retry. Check its status (broker, market data, DynamoDB, S3 or SES).';

/** The steps a person takes after a failure, most specific first. */
export function failureAdvice(error: string, tradingDate: string): string[] {
  const transient = (TRANSIENT_ERRORS as readonly string[]).includes(error);
  const specific = ADVICE[error] ?? (transient ? TRANSIENT_ADVICE : null);
  return [
    specific ?? "Read the error below and the failed step's logs.",
    NO_RESUME.has(error) ? SAFE : `${SAFE} ${resume(tradingDate)}`,
  ];
}

/** The run failed: which step, what error, what to do. */
export function failureEmail(failure: RunFailure, settings: EmailSettings): EmailMessage {
  const { tradingDate, step, error, cause, runId } = failure;
  const subject = `${settings.subjectPrefix} ${tradingDate}: RUN FAILED at ${step}`;
  const alert = `The daily run of ${tradingDate} failed in ${step}: ${error}.`;
  const advice = failureAdvice(error, tradingDate);
  const details: [string, string][] = [
    ['Trading date', tradingDate],
    ['Step', step],
    ['Error', error],
    ['Message', cause],
    ['Run', runId],
  ];
  const text = [
    subject,
    '',
    ...textAlerts([alert, cause], 'RUN FAILED'),
    'WHAT TO DO',
    ...advice.map((item, i) => `${i + 1}. ${item}`),
    ...textHeading('Details'),
    ...details.map(([label, value]) => `${label}: ${value}`),
  ];
  const html = page(
    subject,
    [
      alertBox('RUN FAILED', [alert, cause]),
      heading(`Run failed, ${tradingDate}`),
      section('advice', 'What to do', list(advice, true)),
      section('details', 'Details', facts('details', details)),
    ],
    'Sent by the failure report of the daily run.',
  );
  return { kind: 'failure', tradingDate, subject, text: textOf(text), html };
}
