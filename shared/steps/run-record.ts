import { TradingError } from '../domain/errors.js';
import { runKey, StateConflictError, type StateStore } from '../ports/index.js';
import { type RunRecord, RunRecordSchema } from './documents.js';

/** How long a claim holds without its run finishing: longer than the workflow's own timeout. */
export const RUN_LEASE_MINUTES = 45;

/** The trading date already ran to completion: a second run would trade twice. */
export class RunAlreadyCompletedError extends TradingError {
  override name = 'RunAlreadyCompletedError';
}

/** Another execution holds the trading date and has not finished. */
export class RunInProgressError extends TradingError {
  override name = 'RunInProgressError';
}

export type Claim = { readonly resumed: boolean };

const minutesAfter = (now: Date, minutes: number) =>
  new Date(now.getTime() + minutes * 60_000).toISOString();

/**
 * Claims a trading date for one run with a conditional write. A second start for the same date
 * resumes a run that failed or was abandoned, and refuses, with its own error, a completed one or one
 * still under way. Of two concurrent starts, exactly one wins the write.
 */
export async function claimRun(
  store: StateStore,
  tradingDate: string,
  runId: string,
  now: Date,
): Promise<Claim> {
  const key = runKey(tradingDate, 'record');
  const fresh: RunRecord = {
    tradingDate,
    status: 'running',
    runId,
    startedAt: now.toISOString(),
    leaseUntil: minutesAfter(now, RUN_LEASE_MINUTES),
    finishedAt: null,
    previousRuns: [],
    error: null,
  };
  // Almost always the date's first start: create the record, and read it only if one is there
  try {
    await store.put(key, fresh, null);
    return { resumed: false };
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
  }
  const stored = await store.get(key, RunRecordSchema);
  if (stored === undefined) {
    throw new StateConflictError(`the run record of ${tradingDate} vanished during its claim`);
  }
  const record = stored.value;
  if (record.status === 'succeeded') {
    throw new RunAlreadyCompletedError(
      `${tradingDate} already ran to completion (run ${record.runId}, finished ${record.finishedAt}): nothing was sent`,
    );
  }
  // A retried first step of the same execution
  if (record.runId === runId && record.status === 'running') return { resumed: false };
  if (record.status === 'running' && record.leaseUntil > now.toISOString()) {
    throw new RunInProgressError(
      `${tradingDate} is being run by ${record.runId} (started ${record.startedAt}, lease until ${record.leaseUntil})`,
    );
  }
  const takeover: RunRecord = {
    ...fresh,
    previousRuns: [...record.previousRuns, { runId: record.runId, status: record.status }],
  };
  try {
    await store.put(key, takeover, stored.version);
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
    // A retried put whose first attempt landed finds its own takeover
    const winner = await store.get(key, RunRecordSchema);
    if (winner?.value.runId === runId) return { resumed: true };
    throw new RunInProgressError(`${tradingDate} was taken over by another run a moment ago`);
  }
  return { resumed: true };
}

/** Marks the run finished, if this run still holds the claim. */
export async function finishRun(
  store: StateStore,
  tradingDate: string,
  runId: string,
  outcome: { status: 'succeeded' | 'failed'; error: string | null; now: Date },
): Promise<void> {
  const key = runKey(tradingDate, 'record');
  const stored = await store.get(key, RunRecordSchema);
  if (stored === undefined || stored.value.runId !== runId) return;
  if (stored.value.status === outcome.status) return;
  await store.put(
    key,
    {
      ...stored.value,
      status: outcome.status,
      error: outcome.error,
      finishedAt: outcome.now.toISOString(),
    },
    stored.version,
  );
}
