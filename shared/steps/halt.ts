import { isWorking } from '../domain/orders/order-status.js';
import type { Broker, OrderStatus, StateStore, Versioned } from '../ports/index.js';
import { portfolioKey } from '../ports/index.js';
import { PortfolioSchema, type TradingControl, TradingControlSchema } from './documents.js';

// Halting and resuming: the trading-state document a person or the circuit breaker writes, read by
// detect-regime on the next run (docs/state.md, Halting and resuming by hand)

const CONTROL = 'control/trading-state' as const;
// Dates sort as text: every closing portfolio's key is before this one
const END_OF_TIME = '9999-12-31';

/** The trading-state document as stored, if any. */
export const readControl = (store: StateStore): Promise<Versioned<TradingControl> | undefined> =>
  store.get(CONTROL, TradingControlSchema);

/** The newest closing portfolio: what the next run starts from. */
export const newestPortfolio = (store: StateStore) =>
  store.latestBefore('portfolio', END_OF_TIME, PortfolioSchema);

/** What the trading-state document holds after a write, and whether this write changed it. */
export interface ControlWrite {
  readonly changed: boolean;
  /** Null when there is none: a bot never halted is ACTIVE without one */
  readonly control: TradingControl | null;
}

/**
 * Writes the trading state unless it already is that state: a second halt (a redelivered alarm, a
 * person halting a halted bot) keeps the first one's who, when and why. Written on the version
 * read, so a concurrent write makes this one fail with StateConflictError instead of clobbering it.
 */
export async function setTradingState(
  store: StateStore,
  next: TradingControl,
): Promise<ControlWrite> {
  const stored = await readControl(store);
  const current = stored?.value.state ?? 'ACTIVE';
  if (current === next.state) {
    return { changed: false, control: stored?.value ?? null };
  }
  await store.put(CONTROL, next, stored?.version ?? null);
  return { changed: true, control: next };
}

/** What the next run trades under, and where that comes from. */
export interface TradingStateView {
  readonly state: 'ACTIVE' | 'HALTED';
  readonly why: string;
  readonly control: TradingControl | null;
  /** The newest closing portfolio's own state (HALTED by the drawdown limit) and its date */
  readonly carried: { readonly date: string; readonly state: string } | null;
}

/** The trading state the next run starts in: a halt by hand or alarm, or a carried drawdown halt. */
export async function readTradingState(store: StateStore): Promise<TradingStateView> {
  const [stored, portfolio] = await Promise.all([readControl(store), newestPortfolio(store)]);
  const control = stored?.value ?? null;
  const carried = portfolio ? { date: portfolio.id, state: portfolio.value.tradingState } : null;
  if (control?.state === 'HALTED') {
    return { state: 'HALTED', why: describeControl(control), control, carried };
  }
  if (carried?.state === 'HALTED') {
    const why = `the drawdown limit halted the portfolio of ${carried.date}; resume clears it`;
    return { state: 'HALTED', why, control, carried };
  }
  const why = control ? describeControl(control) : 'never halted';
  return { state: 'ACTIVE', why, control, carried };
}

// The words detect-regime puts in the day's report, so the CLI and the email agree
const describeControl = ({ state, by, at, reason }: TradingControl) =>
  `${state === 'HALTED' ? 'halted' : 'resumed'} by ${by} at ${at}: ${reason}`;

/** One pending entry of the books, and what the venue said of it. */
export interface EntryCancellation {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly qty: number;
  /** `canceled` by this call; otherwise the venue's status before it, or `unknown` to the venue */
  readonly outcome: 'canceled' | `already ${OrderStatus}` | 'unknown';
}

/**
 * Cancels the entries the newest closing portfolio is waiting on and that are still open at the
 * venue. The lots' protective stops and the pending exits are left alone: a halt stops new risk,
 * it does not take away the protection of what is held. Safe to repeat: an entry that is no
 * longer open is reported, not touched, and the next run's fetch-data records each as unfilled.
 */
export async function cancelPendingEntries(
  store: StateStore,
  broker: Broker,
): Promise<{ readonly asOf: string | null; readonly entries: EntryCancellation[] }> {
  const portfolio = await newestPortfolio(store);
  if (portfolio === undefined) return { asOf: null, entries: [] };
  const pendingEntries = portfolio.value.pending.filter((order) => order.intent === 'entry');
  const entries: EntryCancellation[] = [];
  // One at a time: a handful of orders, and the venue's rate limit counts each call
  for (const { clientOrderId, symbol, qty } of pendingEntries) {
    const order = await broker.getOrder(clientOrderId);
    let outcome: EntryCancellation['outcome'];
    if (order === undefined) outcome = 'unknown';
    else if (!isWorking(order)) {
      outcome = `already ${order.status}`;
    } else {
      // A cancel already pending is waited on, not asked again
      const canceled = await broker.cancelOrder(clientOrderId);
      outcome =
        canceled?.status === 'canceled'
          ? 'canceled'
          : `already ${canceled?.status ?? order.status}`;
    }
    entries.push({ clientOrderId, symbol, qty, outcome });
  }
  return { asOf: portfolio.id, entries };
}

/** What a resume changed: the document, and the newest portfolio's drawdown halt if it had one. */
export interface Resumed extends ControlWrite {
  /** The date of the closing portfolio whose HALTED was cleared, or null */
  readonly portfolioCleared: string | null;
}

/**
 * Restores ACTIVE, recording who and when. A drawdown halt the newest closing portfolio carries is
 * cleared too: docs/state.md asks a person to do exactly that by hand, and `resume` is that person.
 */
export async function resumeTrading(
  store: StateStore,
  who: { readonly by: string; readonly at: string; readonly reason: string },
): Promise<Resumed> {
  const write = await setTradingState(store, { state: 'ACTIVE', ...who });
  const portfolio = await newestPortfolio(store);
  if (portfolio?.value.tradingState !== 'HALTED') return { ...write, portfolioCleared: null };
  await store.put(
    portfolioKey(portfolio.id),
    { ...portfolio.value, tradingState: 'ACTIVE' },
    portfolio.version,
  );
  return { ...write, changed: true, portfolioCleared: portfolio.id };
}
