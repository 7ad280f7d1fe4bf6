import { orderLogRow } from '../../shared/backtest/order-log.js';
import { equityCsv, ordersCsv } from '../../shared/backtest/output-files.js';
import { TradingError } from '../../shared/domain/errors.js';
import type { StateStore } from '../../shared/ports/index.js';
import { ReportArtifactSchema } from '../../shared/steps/documents.js';
import { readJournal } from '../../shared/steps/order-journal.js';
import { firstError, type LocalWorkflow } from './workflow.js';

/** A replayed day that did not complete: the replay stops there, as a live bot would be stopped. */
export class ReplayError extends TradingError {
  override name = 'ReplayError';
}

/** Runs the local workflow once per trading date, in order; stops at the first run that fails. */
export async function replayDates(
  workflow: LocalWorkflow,
  dates: readonly string[],
  onDay?: (done: number, date: string) => void,
): Promise<void> {
  for (const [i, date] of dates.entries()) {
    const outcome = await workflow.run(date);
    if (outcome.status !== 'succeeded') {
      const cause = firstError(outcome);
      throw new ReplayError(
        `${date}: ${cause ? `${cause.name}: ${cause.message}` : `${outcome.error?.name}: ${outcome.error?.message}`}`,
      );
    }
    onDay?.(i + 1, date);
  }
}

/** orders.csv and equity.csv of the replayed days, read back from the state store. */
export async function replayFiles(store: StateStore): Promise<Record<string, string>> {
  const orders = (await readJournal(store)).map(orderLogRow);
  const days = (await store.list('equity', ReportArtifactSchema)).map((d) => d.value);
  return {
    'orders.csv': [...ordersCsv(orders)].join(''),
    'equity.csv': [...equityCsv(days)].join(''),
  };
}
