import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type SessionFeed, SimulatedBroker } from '../backtest/simulated/simulated-broker.js';
import { InvalidInputError } from '../domain/errors.js';
import type { CostModel } from '../domain/orders/fill-model.js';
import {
  type Account,
  type Broker,
  type BrokerPosition,
  CorruptStateError,
  type LiveEquity,
  type Order,
  type OrderRequest,
  type Untradable,
  type Venue,
} from '../ports/index.js';

/**
 * A SimulatedBroker kept in one JSON file (e.g. `.local/venue/broker.json`), so the venue carries on
 * between separate local daily runs. Every change is on disk before its call resolves.
 */
export class FileSimulatedBroker implements Broker, Venue {
  readonly #path: string;
  readonly #broker: SimulatedBroker;
  // Saves run one after another, so an older state can never land after a newer one
  #saving: Promise<void> = Promise.resolve();

  private constructor(path: string, broker: SimulatedBroker) {
    this.#path = path;
    this.#broker = broker;
  }

  /**
   * The venue saved in the file, or a new one with `initialCash` when there is no file yet; a file
   * that cannot be read back throws CorruptStateError naming it, never a silent reset.
   */
  static async open(
    path: string,
    sessions: SessionFeed,
    initialCash: number,
    costs: CostModel,
  ): Promise<FileSimulatedBroker> {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const broker =
      text === undefined
        ? new SimulatedBroker(sessions, initialCash, costs)
        : restore(path, text, sessions, costs);
    return new FileSimulatedBroker(path, broker);
  }

  /** The date of the last session opened; null before the first. */
  get lastSession(): string | null {
    return this.#broker.lastSession;
  }

  async openSessionsThrough(tradingDate: string): Promise<void> {
    await this.#broker.openSessionsThrough(tradingDate);
    await this.#save();
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    const order = await this.#broker.submitOrder(request);
    await this.#save();
    return order;
  }

  async cancelOrder(clientOrderId: string): Promise<Order | undefined> {
    const order = await this.#broker.cancelOrder(clientOrderId);
    await this.#save();
    return order;
  }

  getAccount(): Promise<Account> {
    return this.#broker.getAccount();
  }

  getLiveEquity(): Promise<LiveEquity> {
    return this.#broker.getLiveEquity();
  }

  untradable(symbols: readonly string[]): Promise<readonly Untradable[]> {
    return this.#broker.untradable(symbols);
  }

  getPositions(): Promise<readonly BrokerPosition[]> {
    return this.#broker.getPositions();
  }

  getOrder(clientOrderId: string): Promise<Order | undefined> {
    return this.#broker.getOrder(clientOrderId);
  }

  /** Every order ever submitted, in submission order (stops after their entries). */
  allOrders(): readonly Order[] {
    return this.#broker.allOrders();
  }

  async #save(): Promise<void> {
    const text = `${JSON.stringify(this.#broker.toJSON(), null, 2)}\n`;
    // A failed earlier save was reported to its own caller; this one writes the whole state anyway
    const write = this.#saving.catch(() => {}).then(() => writeAtomically(this.#path, text));
    this.#saving = write;
    await write;
  }
}

function restore(
  path: string,
  text: string,
  sessions: SessionFeed,
  costs: CostModel,
): SimulatedBroker {
  const unusable = (reason: string, cause: unknown) =>
    new CorruptStateError(`venue file ${path}: ${reason}\n(move it away to start a new venue)`, {
      cause,
    });
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw unusable(`not JSON: ${(error as Error).message}`, error);
  }
  try {
    return SimulatedBroker.fromJSON(state, sessions, costs);
  } catch (error) {
    if (error instanceof InvalidInputError) throw unusable(error.message, error);
    throw error;
  }
}

/** Writes a temp file in the same folder, then renames it over the target: a crash leaves old or new. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Same folder, so the rename stays on one file system and is atomic
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { flush: true });
  await rename(temp, path);
}
