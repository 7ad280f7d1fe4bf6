import type { EmailSettings } from '../domain/config.js';
import { newYorkDateOf } from '../domain/time.js';
import type { Broker, Mailer, StateStore } from '../ports/index.js';
import { type AlarmMessage, alarmTime, haltReason } from './alarm-event.js';
import { cancelPendingEntries, setTradingState } from './halt.js';
import { type HaltReport, haltEmail } from './halt-email.js';
import { sendOnce } from './outbox.js';

/** What the halt function works with; the broker is opened only once the halt is written. */
export interface BreakerDeps {
  readonly store: StateStore;
  /** A venue that cannot be reached (or is not wired) must not keep HALTED from being written */
  readonly broker: () => Promise<Broker>;
  readonly mailer: Mailer | null;
  readonly email: EmailSettings;
}

/** What one alarm did: nothing (not an ALARM state), or the halt and where its email went. */
export type BreakerOutcome =
  | { readonly halted: false; readonly reason: string }
  | (HaltReport & { readonly halted: true; readonly email: string });

/**
 * The circuit breaker trips: HALTED first (the one effect that must happen), then the open entries
 * cancelled, then one alert. Every part is safe to repeat, so a redelivered or retried alarm changes
 * nothing and sends nothing new. A venue failure is in the email and then thrown, so that Lambda's
 * retry of the asynchronous invoke tries the cancellation again.
 */
export async function haltOnAlarm(alarm: AlarmMessage, deps: BreakerDeps): Promise<BreakerOutcome> {
  // The topic carries only this alarm's ALARM actions; an OK or a hand-set state is no halt
  if (alarm.NewStateValue !== 'ALARM') {
    return { halted: false, reason: `alarm state ${alarm.NewStateValue}: nothing to halt` };
  }
  const at = alarmTime(alarm);
  const write = await setTradingState(deps.store, {
    state: 'HALTED',
    by: alarm.AlarmArn,
    at,
    reason: haltReason(alarm),
  });
  let failure: unknown;
  let cancellations: HaltReport['cancellations'];
  try {
    cancellations = await cancelPendingEntries(deps.store, await deps.broker());
  } catch (error) {
    failure = error;
    const { name, message } = error as Error;
    cancellations = { error: `${name}: ${message}` };
  }
  const report: HaltReport = {
    // The New York date the alarm tripped on: the run it follows, and the email log it goes in
    tradingDate: newYorkDateOf(new Date(at)),
    alarm,
    write,
    cancellations,
  };
  const email = await sendOnce(
    deps.store,
    deps.mailer,
    { kind: 'halt', tradingDate: report.tradingDate, build: () => haltEmail(report, deps.email) },
    `${alarm.AlarmArn}@${at}`,
  );
  if (failure !== undefined) throw failure;
  return { ...report, halted: true, email };
}
