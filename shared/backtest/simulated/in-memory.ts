import { newYorkTime } from '../../domain/time.js';
import type { Clock, StateKey, StateStore } from '../../ports/index.js';

/** Keeps state by reference: the backtest pays for no serialisation between steps. */
export class InMemoryStateStore implements StateStore {
  readonly #items = new Map<StateKey, unknown>();

  async get<T>(key: StateKey): Promise<T | undefined> {
    return this.#items.get(key) as T | undefined;
  }

  async put<T>(key: StateKey, value: T): Promise<void> {
    this.#items.set(key, value);
  }

  /** Drops one day's artefacts once the backtest has read them, so memory stays flat over long runs. */
  deleteRun(tradingDate: string): void {
    const prefix = `run/${tradingDate}/`;
    for (const key of this.#items.keys()) if (key.startsWith(prefix)) this.#items.delete(key);
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
