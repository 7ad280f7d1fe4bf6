import { type EmailMessage, type Mailer, runKey, type StateStore } from '../ports/index.js';
import { EmailLogSchema } from './documents.js';

/**
 * Sends a message unless this date's log says it went already: a retried report step sends
 * nothing new. The message is built only to be sent: a backtest has no mailer, so it never reads
 * or renders what only the email needs. The daily and market-closed emails go once per date, a
 * failure email once per run, a halt email once per alarm.
 */
export async function sendOnce(
  store: StateStore,
  mailer: Mailer | null,
  email: {
    kind: EmailMessage['kind'];
    tradingDate: string;
    /** Reads what only the email needs and renders it: called only when it is to be sent */
    build: () => EmailMessage | Promise<EmailMessage>;
  },
  runId: string,
): Promise<string> {
  if (mailer === null) return 'not sent: no mailer';
  const key = runKey(email.tradingDate, 'email');
  const log = await store.get(key, EmailLogSchema);
  const sent = log?.value.sent ?? [];
  // A failure email belongs to its run, a halt email to its alarm: a later one of the date is news
  const perRun = email.kind === 'failure' || email.kind === 'halt';
  const previous = sent.find(
    (entry) => entry.kind === email.kind && (!perRun || entry.runId === runId),
  );
  if (previous) return previous.where;
  const where = await mailer.send(await email.build());
  await store.put(
    key,
    { sent: [...sent, { kind: email.kind, runId, where }] },
    log?.version ?? null,
  );
  return where;
}
