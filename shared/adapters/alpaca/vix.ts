import { InvalidInputError } from '../../domain/errors.js';
import type { Calendar } from '../../ports/index.js';

/** A VIX close and the session it is from. */
export interface VixClose {
  readonly date: string;
  readonly close: number;
}

/** The VIX close that stands for a session. */
export interface VixReading {
  readonly close: number;
  /** The session the close is from: the date asked for, or an earlier one when stale */
  readonly asOf: string;
  /** The date's own close was unavailable and an earlier one stands in */
  readonly stale: boolean;
}

/** The VIX closes the regime reads. Alpaca has no index data, so this is a source of its own. */
export interface VixSource {
  /** A reading for each date, in order; throws when a date has no close within the stale limit. */
  closesOn(dates: readonly string[]): Promise<readonly VixReading[]>;
}

/** How many sessions old a stand-in close may be; past it the run stops rather than trade blind. */
export const MAX_STALE_SESSIONS = 5;

/**
 * The reading for `date` from the newest close known on or before it: its own, or a stand-in at
 * most `maxStale` sessions older, flagged stale. `source` names where the close came from.
 */
export async function readingFor(
  date: string,
  known: VixClose | undefined,
  rule: { readonly calendar: Calendar; readonly maxStale: number; readonly source: string },
): Promise<VixReading> {
  if (known === undefined) {
    throw new InvalidInputError(`no VIX close on or before ${date} in ${rule.source}`);
  }
  if (known.date === date) return { close: known.close, asOf: date, stale: false };
  // Sessions after the known close up to and including the date
  const age = (await rule.calendar.sessionsBetween(known.date, date)).length + 1;
  if (age > rule.maxStale) {
    throw new InvalidInputError(
      `VIX for ${date} is unavailable: the newest close in ${rule.source} is from ${known.date}, ` +
        `${age} sessions earlier (at most ${rule.maxStale} may stand in)`,
    );
  }
  return { close: known.close, asOf: known.date, stale: true };
}
