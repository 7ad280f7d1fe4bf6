import type { EmailMessage } from '../ports/index.js';
import type { ReportArtifact } from './documents.js';

// A plain summary: the report issue gives the email its tables and chart

// One formatter: toLocaleString builds a new one per call, which cost a backtest 0.5 s
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const money = (value: number) => dollars.format(value);
const percent = (value: number) => `${(value * 100).toFixed(2)} %`;

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const htmlOf = (title: string, lines: readonly string[]) =>
  `<!doctype html><html><body style="font-family:sans-serif;max-width:600px">` +
  `<h2>${escapeHtml(title)}</h2>` +
  lines.map((line) => `<p style="margin:4px 0">${escapeHtml(line)}</p>`).join('') +
  '</body></html>';

function message(
  kind: EmailMessage['kind'],
  tradingDate: string,
  subject: string,
  lines: readonly string[],
): EmailMessage {
  return {
    kind,
    tradingDate,
    subject,
    text: `${lines.join('\n')}\n`,
    html: htmlOf(subject, lines),
  };
}

/** The daily summary of a completed run. */
export function dailyEmail(report: ReportArtifact): EmailMessage {
  const lines = [
    ...report.alerts.map((alert) => `ALERT: ${alert}`),
    `Equity ${money(report.equity)} (cash ${money(report.cash)})` +
      (report.dailyReturn === null ? '' : `, ${percent(report.dailyReturn)} on the day`),
    `Heat ${percent(report.heat)}, drawdown ${percent(report.drawdown)}`,
    `Regime ${report.regime} (VIX ${report.vix}), trading ${report.tradingState}: ${report.tradingStateReason}`,
    `Orders sent: ${report.entriesSent} entries, ${report.exitsSent} exits`,
    `Trades closed today: ${report.closedTrades.length}`,
    ...report.closedTrades.map(
      (t) =>
        `  ${t.symbol} ${t.strategy} ${t.qty} @ ${t.exitPrice} (${t.exitReason}): ${money(t.pnl)}`,
    ),
    ...Object.entries(report.inactiveStrategies).map(([id, why]) => `Inactive: ${id} (${why})`),
  ];
  const flag = report.alerts.length > 0 ? ' [ALERT]' : '';
  return message(
    'daily',
    report.date,
    `Trading bot ${report.date}${flag}: ${money(report.equity)}`,
    lines,
  );
}

/** The market was closed: nothing ran. */
export function marketClosedEmail(tradingDate: string, reason: string): EmailMessage {
  return message('market-closed', tradingDate, `Trading bot ${tradingDate}: market closed`, [
    `The market is closed on ${tradingDate} (${reason}): no data fetched, no orders sent.`,
  ]);
}

/** The run failed: which step, what error, what to do. */
export function failureEmail(
  tradingDate: string,
  failedStep: string,
  error: string,
  cause: string,
): EmailMessage {
  return message(
    'failure',
    tradingDate,
    `Trading bot ${tradingDate}: RUN FAILED at ${failedStep}`,
    [
      `ALERT: the daily run of ${tradingDate} failed in ${failedStep}: ${error}`,
      cause,
      'Orders already sent stay at the broker, protected by their stops. Fix the cause, then start the ' +
        'run for this date again: it resumes where it stopped and sends nothing twice.',
    ],
  );
}
