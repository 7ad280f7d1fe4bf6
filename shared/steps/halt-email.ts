import type { EmailSettings } from '../domain/config.js';
import type { EmailMessage } from '../ports/index.js';
import type { AlarmMessage } from './alarm-event.js';
import { alarmTime } from './alarm-event.js';
import {
  alertBox,
  facts,
  heading,
  list,
  page,
  paragraph,
  section,
  textHeading,
} from './email-layout.js';
import type { ControlWrite, EntryCancellation } from './halt.js';

/** What the halt did, as its email reports it. */
export interface HaltReport {
  readonly tradingDate: string;
  readonly alarm: AlarmMessage;
  readonly write: ControlWrite;
  /** The entries looked at, or why the venue could not be asked (the halt stands either way) */
  readonly cancellations:
    | { readonly asOf: string | null; readonly entries: readonly EntryCancellation[] }
    | { readonly error: string };
}

const RESUME =
  'Resume once you have looked: npm run bot -- resume --by YOU (add --table NAME --region R ' +
  'for the deployed table). Until then no entry is sent; exits and protective stops carry on.';

function cancellationLines(cancellations: HaltReport['cancellations']): string[] {
  if ('error' in cancellations) {
    return [
      `The venue could not be asked to cancel the open entries: ${cancellations.error}. ` +
        'The halt stands; Lambda retries the cancellation. Check the broker for open buy orders.',
    ];
  }
  const { asOf, entries } = cancellations;
  if (asOf === null) return ['No closing portfolio yet: no entry to cancel.'];
  if (entries.length === 0) return [`The portfolio of ${asOf} waits on no entry: none to cancel.`];
  return entries.map(
    ({ clientOrderId, symbol, qty, outcome }) =>
      `${symbol} buy ${qty} (${clientOrderId}): ${outcome}`,
  );
}

/** The alert a halt sends: what tripped, what was halted and cancelled, how to resume. */
export function haltEmail(report: HaltReport, settings: EmailSettings): EmailMessage {
  const { tradingDate, alarm, write, cancellations } = report;
  const subject = `${settings.subjectPrefix} ${tradingDate}: TRADING HALTED by the circuit breaker`;
  const control = write.control;
  const status = write.changed
    ? 'Trading is HALTED: the next run refuses every entry.'
    : `Trading was already HALTED by ${control?.by} at ${control?.at} (${control?.reason}): ` +
      'that halt is kept as it was.';
  const alerts = [status, alarm.NewStateReason];
  const cancelled = cancellationLines(cancellations);
  const details: [string, string][] = [
    ['Alarm', alarm.AlarmName],
    ['Alarm ARN', alarm.AlarmArn],
    ['Changed state at', alarmTime(alarm)],
    ['Metric', alarm.Trigger?.MetricName ?? 'unknown'],
    ['Threshold', String(alarm.Trigger?.Threshold ?? 'unknown')],
  ];
  const text = [
    subject,
    '',
    'TRADING HALTED',
    ...alerts.map((line) => `- ${line}`),
    ...textHeading('Open entries'),
    ...cancelled.map((line) => `- ${line}`),
    '',
    RESUME,
    ...textHeading('Details'),
    ...details.map(([label, value]) => `${label}: ${value}`),
  ];
  const html = page(
    subject,
    [
      alertBox('TRADING HALTED', alerts),
      heading(`Circuit breaker, ${tradingDate}`),
      section('entries', 'Open entries', list(cancelled)),
      section('resume', 'What to do', paragraph(RESUME)),
      section('details', 'Details', facts('details', details)),
    ],
    'Sent by the halt function, on the circuit-breaker alarm.',
  );
  return { kind: 'halt', tradingDate, subject, text: `${text.join('\n').trim()}\n`, html };
}
