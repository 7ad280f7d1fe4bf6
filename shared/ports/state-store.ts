import type * as z from 'zod';
import { TradingError } from '../domain/errors.js';

/**
 * Where the daily run keeps what it knows between steps and between days. Every document is keyed
 * by a trading date (or an order's client id), so a retried step, a restarted run and the backtest
 * of that day all address the same record.
 *
 * Documents (DynamoDB in AWS, small): written with optimistic versions, so a retried or concurrent
 * step cannot clobber another's write. Snapshots (S3 in AWS, large, write-once per date): the market
 * state and the per-date features artefact.
 */
export type DocumentKey =
  /** The run record of a trading date: who claimed it, how far it got */
  | `run/${string}/record`
  /** A step's output for a trading date */
  | `run/${string}/${RunArtifact}`
  /** The portfolio as of a trading date's close, written by that date's report (a rerun writes the same) */
  | `portfolio/${string}`
  /** What the bot meant by an order and what the venue last said of it */
  | `order/${string}`
  /** The report's numbers of a trading date (equity.csv, the email's chart) */
  | `equity/${string}`
  /** The trading state a person or the circuit-breaker alarm set (HALTED until resumed) */
  | 'control/trading-state'
  /** The newest VIX close downloaded from CBOE: what stands in while CBOE is down */
  | 'market/vix-last-close'
  /** The newest trading date whose run opened the venue's sessions: no earlier date may run after */
  | 'venue/opened-through';

export type SnapshotKey = `market-state/${string}`;

/** Document families that are read as a series. */
export type Series = 'portfolio' | 'order' | 'equity';

export type RunArtifact =
  | 'day'
  /** The close's features and correlation windows: what the steps after fetch-data read of the market */
  | 'features'
  | 'working-portfolio'
  | 'regime'
  | 'signals'
  | 'candidates'
  | 'sized'
  | 'decisions'
  | 'orders'
  | 'exits'
  | 'email';

export interface Versioned<T> {
  readonly value: T;
  /** 1 for the first write, +1 for each after */
  readonly version: number;
}

export interface Dated<T> extends Versioned<T> {
  /** The date (or id) part of the key */
  readonly id: string;
}

export interface StateStore {
  /** A document, parsed through its schema on the way in; a consistent read. */
  get<T>(key: DocumentKey, schema: z.ZodType<T>): Promise<Versioned<T> | undefined>;
  /**
   * Writes a document if its stored version is still `expected` (null: it must not exist yet) and
   * returns the new version; throws StateConflictError when another write got there first.
   */
  put<T>(key: DocumentKey, value: T, expected: number | null): Promise<number>;
  /**
   * Writes a document whatever version it is at, in one call, and returns its new version: for
   * documents a step derives from the same inputs each time it runs (a rerun writes the same
   * content), where a read of the version first would only cost a round trip.
   */
  replace(key: DocumentKey, value: unknown): Promise<number>;
  /** The newest document of a dated series whose date is strictly before `before`. */
  latestBefore<T>(
    series: Series,
    before: string,
    schema: z.ZodType<T>,
  ): Promise<Dated<T> | undefined>;
  /** Every document of a series, in key order (dates and client order ids sort by date). */
  list<T>(series: Series, schema: z.ZodType<T>): Promise<Dated<T>[]>;
  /** A snapshot, parsed through its schema; undefined when none was written. */
  getSnapshot<T>(key: SnapshotKey, schema: z.ZodType<T>): Promise<T | undefined>;
  /** Writes a snapshot; the same key always receives the same content, so a rewrite is harmless. */
  putSnapshot(key: SnapshotKey, value: unknown): Promise<void>;
}

/** A conditional write lost: another step or run wrote the document since it was read. */
export class StateConflictError extends TradingError {
  override name = 'StateConflictError';
}

/** A stored document that does not match its schema: named by key, with zod's field paths. */
export class CorruptStateError extends TradingError {
  override name = 'CorruptStateError';
}

export const runKey = (tradingDate: string, artifact: RunArtifact | 'record'): DocumentKey =>
  `run/${tradingDate}/${artifact}`;
export const VIX_MEMORY_KEY: DocumentKey = 'market/vix-last-close';
export const VENUE_OPENED_KEY: DocumentKey = 'venue/opened-through';
export const portfolioKey = (tradingDate: string): DocumentKey => `portfolio/${tradingDate}`;
export const orderKey = (clientOrderId: string): DocumentKey => `order/${clientOrderId}`;
export const equityKey = (tradingDate: string): DocumentKey => `equity/${tradingDate}`;
export const marketStateKey = (tradingDate: string): SnapshotKey => `market-state/${tradingDate}`;

/** The series and id of a series document's key, or null for other keys. */
export function seriesOf(key: DocumentKey): { series: Series; id: string } | null {
  const slash = key.indexOf('/');
  const series = key.slice(0, slash);
  if (series === 'portfolio' || series === 'order' || series === 'equity') {
    return { series, id: key.slice(slash + 1) };
  }
  return null;
}
