import type * as z from 'zod';
import { newYorkTime } from '../../domain/time.js';
import {
  type Clock,
  type Dated,
  type DocumentKey,
  type Series,
  type SnapshotKey,
  StateConflictError,
  type StateStore,
  seriesOf,
  type Versioned,
} from '../../ports/index.js';

/**
 * Keeps state by reference, with the versions a persisted store checks: the backtest pays for no
 * serialisation between steps, and the schemas are not run (the replay runs them on every read).
 */
export class InMemoryStateStore implements StateStore {
  // Apart by family, so that a series query or dropping a day's run never scans the order journal
  readonly #series = new Map<Series, Map<string, Versioned<unknown>>>();
  readonly #others = new Map<DocumentKey, Versioned<unknown>>();
  readonly #snapshots = new Map<SnapshotKey, unknown>();

  async get<T>(key: DocumentKey, _schema: z.ZodType<T>): Promise<Versioned<T> | undefined> {
    const of = seriesOf(key);
    const stored = of ? this.#series.get(of.series)?.get(of.id) : this.#others.get(key);
    return stored as Versioned<T> | undefined;
  }

  async put<T>(key: DocumentKey, value: T, expected: number | null): Promise<number> {
    const of = seriesOf(key);
    let family: Map<string, Versioned<unknown>> = this.#others;
    if (of) {
      family = this.#series.get(of.series) ?? new Map();
      this.#series.set(of.series, family);
    }
    const id = of?.id ?? key;
    const current = family.get(id)?.version ?? null;
    if (current !== expected) {
      throw new StateConflictError(`${key} is at version ${current}, expected ${expected}`);
    }
    const version = (expected ?? 0) + 1;
    family.set(id, { value, version });
    return version;
  }

  async replace(key: DocumentKey, value: unknown): Promise<number> {
    const of = seriesOf(key);
    const current = of ? this.#series.get(of.series)?.get(of.id) : this.#others.get(key);
    return this.put(key, value, current?.version ?? null);
  }

  async latestBefore<T>(
    series: Series,
    before: string,
    _schema: z.ZodType<T>,
  ): Promise<Dated<T> | undefined> {
    let latest: Dated<T> | undefined;
    for (const [id, document] of this.#series.get(series) ?? []) {
      if (id < before && (latest === undefined || id > latest.id)) {
        latest = { ...(document as Versioned<T>), id };
      }
    }
    return latest;
  }

  async list<T>(series: Series, _schema: z.ZodType<T>): Promise<Dated<T>[]> {
    const documents: Dated<T>[] = [];
    for (const [id, { value, version }] of this.#series.get(series) ?? []) {
      documents.push({ value: value as T, version, id });
    }
    return documents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async getSnapshot<T>(key: SnapshotKey, _schema: z.ZodType<T>): Promise<T | undefined> {
    return this.#snapshots.get(key) as T | undefined;
  }

  async putSnapshot(key: SnapshotKey, value: unknown): Promise<void> {
    this.#snapshots.set(key, value);
  }

  /**
   * Drops what no later run reads once the run of `date` is over: its artefacts and features, and
   * the market states and closing portfolios before it, so memory stays flat over a long backtest.
   * The order journal and the equity series stay: the output files are read from them.
   */
  forgetRun(date: string): void {
    const run = `run/${date}/`;
    for (const key of this.#others.keys()) if (key.startsWith(run)) this.#others.delete(key);
    const portfolios = this.#series.get('portfolio');
    for (const id of portfolios?.keys() ?? []) if (id < date) portfolios!.delete(id);
    for (const key of this.#snapshots.keys()) {
      if (
        key.startsWith(run) ||
        (key.startsWith('market-state/') && key < `market-state/${date}`)
      ) {
        this.#snapshots.delete(key);
      }
    }
  }
}

/** A clock the backtest sets to each run's time: the trading date at the scheduled time in New York. */
export class SimulatedClock implements Clock {
  #now = new Date(0);

  now(): Date {
    return new Date(this.#now);
  }

  setTradingDate(date: string, runTime = '16:15'): void {
    this.#now = newYorkTime(date, runTime);
  }
}
