import { InvalidInputError, TradingError } from '../domain/errors.js';
import { FeatureSnapshot } from '../domain/features/feature-snapshot.js';
import { featureFingerprint } from '../domain/features/fingerprint.js';
import { MarketState } from '../domain/features/market-state.js';
import { carryForward } from '../domain/market/gaps.js';
import type { DayBars } from '../domain/market/history.js';
import type { Lot } from '../domain/model.js';
import {
  applyFills,
  positionDifferences,
  type Quarantine,
} from '../domain/portfolio/apply-fills.js';
import { emptyPortfolio, type Portfolio } from '../domain/portfolio/portfolio.js';
import { type Calendar, type Order, orderKey, runKey, VENUE_OPENED_KEY } from '../ports/index.js';
import {
  type DayArtifact,
  DayArtifactSchema,
  OrderRecordSchema,
  PortfolioSchema,
  RunRecordSchema,
  type VenueOpened,
  VenueOpenedSchema,
} from './documents.js';
import { replaceStop } from './monitor-exits.js';
import { journalVenue } from './order-journal.js';
import {
  assertBuiltUnder,
  loadMarketState,
  MissingStateError,
  putArtifact,
  saveMarketState,
  saveWorkingPortfolio,
} from './state.js';
import type { RunState, StepDeps, StepFactory } from './types.js';
import { withCounts } from './types.js';

/** A date that is not after the stored state: the bot never goes back in time. */
export class RunOrderError extends TradingError {
  override name = 'RunOrderError';
}

/** An earlier date's run did not finish: its orders may be at the venue, so it must resume first. */
export class UnfinishedRunError extends TradingError {
  override name = 'UnfinishedRunError';
}

/** Symbols the source had no bar for, by date: their last close was carried forward. */
type Gaps = Map<string, string[]>;

/** Advances the market by a day, carrying a missing symbol's close forward and noting it. */
function advance(market: MarketState, day: DayBars, gaps: Gaps): void {
  market.update(carryForward(day, market.lastClose));
  for (const symbol of day.missing ?? []) gaps.set(symbol, [...(gaps.get(symbol) ?? []), day.date]);
}

/**
 * The previous close's market state, checked against the config (`StateMismatchError`), or null on
 * a first run: read before the venue is opened, so that a config that needs a rebuild changes
 * nothing.
 */
async function previousMarket(
  deps: StepDeps,
  previousDate: string | null,
): Promise<MarketState | null> {
  if (previousDate === null) return null;
  const market = await loadMarketState(deps.store, previousDate, deps.config);
  if (market === undefined) {
    throw new MissingStateError(
      `the portfolio closed ${previousDate} but there is no market state of that date`,
    );
  }
  return market;
}

/**
 * Today's market state before today's bars: the previous close's with the sessions the bot did
 * not run on backfilled (the indicators must still see their bars), or a warm-up from history on
 * a first run.
 */
async function marketBefore(
  deps: StepDeps,
  date: string,
  previous: MarketState | null,
  backfilled: readonly string[],
  symbols: readonly string[],
  gaps: Gaps,
): Promise<{ market: MarketState; warmedUpSessions: number }> {
  const { config, marketData } = deps;
  if (previous === null) {
    const market = MarketState.create(symbols, config);
    const history = await marketData.daysBefore(date, MarketState.warmUpSessions(config));
    for (const day of history) advance(market, day, gaps);
    return { market, warmedUpSessions: history.length };
  }
  for (const missed of backfilled) advance(previous, await marketData.dayBars(missed), gaps);
  return { market: previous, warmedUpSessions: 0 };
}

/**
 * The sessions between the previous close and `date` that the bot did not run on, refused when one
 * of them has a run that did not finish: its orders may be at the venue while its books are not
 * closed. Asked before the venue is opened through `date`, so that the refused run can still
 * resume.
 */
async function missedSessions(
  deps: StepDeps,
  previousDate: string | null,
  date: string,
): Promise<string[]> {
  if (previousDate === null) return [];
  const missed = [...(await deps.calendar.sessionsBetween(previousDate, date))];
  for (const session of missed) await assertRunFinished(deps, session, date);
  return missed;
}

/**
 * Refuses a date the venue has been opened past: a later date's run opened its sessions, so this
 * date's run would book that date's fills and marks as its own, and send orders a day late.
 */
export function assertVenueNotPast(opened: VenueOpened | undefined, date: string): void {
  if (opened !== undefined && opened.tradingDate > date) {
    throw new RunOrderError(
      `the run of ${opened.tradingDate} (${opened.runId}) opened the venue's sessions through ` +
        `that date: ${date} can no longer run before it (its bars are backfilled by that run)`,
    );
  }
}

/**
 * Refuses to trade past a run that did not finish: its orders may be at the venue while its books
 * are not closed. The newest closing date's own run must have succeeded (a run that failed after
 * its report wrote the closing portfolio still owes its email and record), and a first run must
 * find no order journalled by a run that never closed a day.
 */
async function assertEarlierRunsFinished(
  deps: StepDeps,
  newest: string | null,
  date: string,
): Promise<void> {
  if (newest === null) {
    // This date's own orders are a resumed run's, which this fetch-data is part of
    const orphans = (await deps.store.list('order', OrderRecordSchema)).filter(
      (order) => order.value.decisionDate !== date,
    );
    if (orphans.length > 0) {
      throw new UnfinishedRunError(
        `orders were journalled (first ${orphans[0]!.id}) but no day was ever closed: resume the run of ${orphans[0]!.value.decisionDate} before ${date}`,
      );
    }
    return;
  }
  await assertRunFinished(deps, newest, date);
}

/** Refuses `date` while the run of `earlier`, if it has one, has not succeeded. */
async function assertRunFinished(deps: StepDeps, earlier: string, date: string): Promise<void> {
  const record = await deps.store.get(runKey(earlier, 'record'), RunRecordSchema);
  if (record && record.value.status !== 'succeeded') {
    throw new UnfinishedRunError(
      `the run of ${earlier} did not finish (${record.value.status}): resume it before ${date}`,
    );
  }
}

/**
 * The broker's record of every order whose outcome the lots are waiting on, each final where the
 * rules allow. A cancel in flight is waited on (bounded by the broker; a cancel still pending
 * throws BrokerUnavailableError and the step is retried): until it completes the order may still
 * fill, and the shares it holds cannot be protected again. An entry still working after its
 * session is cancelled: it was the decision of one day (sent good till cancelled only for its
 * stop's sake, see executeOrders), so what has not filled by now is not bought later, and the lot
 * is what filled (its stop leg then covers those shares). Its stop is read after it, once the
 * cancel has armed or ended it.
 */
async function ordersToReconcile(
  deps: StepDeps,
  portfolio: Portfolio,
): Promise<Map<string, Order>> {
  const ids = [
    ...portfolio.pending.flatMap((p) =>
      p.intent === 'entry' ? [p.clientOrderId, p.stopOrderId] : [p.clientOrderId],
    ),
    ...portfolio.lots.map((lot) => lot.stopOrderId),
  ];
  const entries = new Set(
    portfolio.pending.filter((p) => p.intent === 'entry').map((p) => p.clientOrderId),
  );
  const orders = new Map<string, Order>();
  for (const id of ids) {
    let order = (await deps.broker.getOrder(id)) ?? (await refusedWhenSent(deps, id));
    if (order?.status === 'pending_cancel' || (order?.status === 'open' && entries.has(id))) {
      order = (await deps.broker.cancelOrder(id)) ?? order;
    }
    if (order) orders.set(id, order);
  }
  return orders;
}

/**
 * The venue's refusal of an order, as the journal holds it. A venue keeps no record of an order it
 * refused when sent (Alpaca answers 4xx and stores nothing), so the answer journalled then is the
 * only word on how it ended: a refused stop that a lot points at is then an ended stop, and the lot
 * is protected again, where "the broker has no stop" would quarantine it bare on every run.
 */
async function refusedWhenSent(deps: StepDeps, id: string): Promise<Order | undefined> {
  const venue = (await deps.store.get(orderKey(id), OrderRecordSchema))?.value.venue;
  return venue?.status === 'rejected' ? venue : undefined;
}

/**
 * Protects again each lot applyFills found bare or wrongly covered, with no exit pending: its
 * stop ended at the broker (cancelled, expired, or filled for fewer shares than the lot), or it
 * still works for another quantity than the lot holds (an entry's leg sized to what it ordered, a
 * lot a partial fill cut down), in which case it is cancelled first and the cancel waited on (its
 * shares are not free until then). The new stop is for exactly the lot's shares, at its price,
 * journalled with the day's next ordinal; the symbol stays quarantined for the day, its reason
 * saying what was done. A lot whose position the broker does not hold as the books do is only
 * reported: a stop for shares it lacks would be refused, and one for more would open a short.
 */
async function protectAgain(
  deps: StepDeps,
  date: string,
  applied: ReturnType<typeof applyFills>,
  differing: ReadonlySet<string>,
): Promise<{ lots: Lot[]; quarantined: Quarantine[]; ordinals: number }> {
  const lots = [...applied.portfolio.lots];
  const notes = new Map<Quarantine, string>();
  let ordinal = 0;
  for (const { lot, quarantine, replaces } of applied.reprotect) {
    if (differing.has(lot.symbol)) continue;
    if (replaces !== null) {
      const canceled = await deps.broker.cancelOrder(replaces.clientOrderId);
      if (canceled) await journalVenue(deps.store, [canceled]);
      // It traded or ended otherwise meanwhile: the next run applies what it did
      if (canceled?.status !== 'canceled' || canceled.filledQty !== replaces.filledQty) {
        notes.set(
          quarantine,
          `cancelling it to cover ${lot.qty} was answered ${canceled?.status ?? 'with no order'}: left for the next run`,
        );
        continue;
      }
    }
    const why = replaces === null ? `${lot.stopOrderId} ended at the broker` : quarantine.reason;
    const stop = await replaceStop(deps, date, lot, {
      ordinal: ordinal++,
      cause: 'protect',
      why,
    });
    const id = stop.clientOrderId;
    if (stop.status === 'rejected') {
      notes.set(
        quarantine,
        `re-placing it as ${id} was refused (${stop.rejectReason ?? 'no reason given'})`,
      );
      // A stop cancelled for a new one leaves the lot bare: the books must not point at it
      if (replaces !== null) lots[lots.indexOf(lot)] = { ...lot, stopOrderId: id };
      continue;
    }
    notes.set(quarantine, `re-placed as ${id} for ${lot.qty}`);
    lots[lots.indexOf(lot)] = { ...lot, stopOrderId: id };
  }
  const quarantined = applied.quarantined.map((q) => {
    const note = notes.get(q);
    return note === undefined ? q : { ...q, reason: `${q.reason}: ${note}` };
  });
  return { lots, quarantined, ordinals: ordinal };
}

/**
 * A symbol without a bar since the last run (today or a backfilled session) is quarantined: its
 * signals would read a made-up flat day. An older gap (in a first run's warm-up) is only reported.
 */
const noBarSince = (gaps: Gaps, since: string): Quarantine[] =>
  [...gaps].flatMap(([symbol, dates]) => {
    const recent = dates.filter((d) => d >= since);
    return recent.length === 0
      ? []
      : [{ symbol, reason: `no bar for ${recent.join(', ')}: its last close was carried forward` }];
  });

const summary = (state: RunState, day: DayArtifact): RunState =>
  withCounts(
    { ...state, equity: day.account.equity, cash: day.account.cash },
    {
      closedTrades: day.closedTrades.length,
      unfilledOrders: day.unfilled.length,
      quarantined: new Set(day.quarantined.map((q) => q.symbol)).size,
    },
  );

/**
 * Step 1: the venue's sessions since the last run, the day's bars into the indicators (warmed up
 * on a first run, missed days backfilled), and the lots reconciled with what the broker filled. A
 * symbol whose books and broker disagree is quarantined for the day: no entry, no exit, an alert.
 * Reads the state as of the previous close and writes the state as of this one, so a rerun
 * re-derives the same day; once the day is written, a rerun returns it (its closed trades stay).
 */
export const fetchData: StepFactory = (deps) => async (state) => {
  const { marketData, broker, venue, store, config, calendar } = deps;
  const date = state.tradingDate;
  const done = await store.get(runKey(date, 'day'), DayArtifactSchema);
  if (done) {
    // A resume under a config that means other features would decide on the old ones
    const { fingerprint } = done.value;
    if (fingerprint !== undefined) {
      const universe = Array.isArray(fingerprint.universe) ? fingerprint.universe : [];
      assertBuiltUnder(fingerprint, universe, config, `the features of ${date}`);
    }
    return summary(state, done.value);
  }

  const [newest, opened] = await Promise.all([
    store.latestBefore('portfolio', '9999-12-31', PortfolioSchema),
    store.get(VENUE_OPENED_KEY, VenueOpenedSchema),
  ]);
  if (newest && newest.id >= date) {
    throw new RunOrderError(
      `the state is already at the close of ${newest.id}: ${date} is not after it`,
    );
  }
  assertVenueNotPast(opened?.value, date);
  await assertEarlierRunsFinished(deps, newest?.id ?? null, date);
  const backfilled = await missedSessions(deps, newest?.id ?? null, date);
  const previousState = await previousMarket(deps, newest?.id ?? null);
  // Every refusal is above: from here on, no earlier date may run
  if (opened?.value.tradingDate !== date) {
    const mark: VenueOpened = { tradingDate: date, runId: state.runId };
    await store.put(VENUE_OPENED_KEY, mark, opened?.version ?? null);
  }
  await venue.openSessionsThrough(date);
  const day = await marketData.dayBars(date);
  if (day.date !== date) {
    throw new InvalidInputError(`market data answered ${day.date} for ${date}`);
  }
  const gaps: Gaps = new Map();
  const { market, warmedUpSessions } = await marketBefore(
    deps,
    date,
    previousState,
    backfilled,
    day.symbols,
    gaps,
  );
  advance(market, day, gaps);
  await saveMarketState(store, market, config);
  await putArtifact(store, date, 'features', FeatureSnapshot.of(market));

  const previous = newest?.value ?? emptyPortfolio();
  const orders = await ordersToReconcile(deps, previous);
  // A live stop of a lot held since yesterday was journalled live the day its entry filled
  const heldStops = new Set(previous.lots.map((lot) => lot.stopOrderId));
  await journalVenue(
    store,
    [...orders.values()].filter((o) => !(o.status === 'open' && heldStops.has(o.clientOrderId))),
  );
  const applied = applyFills(previous, orders, market.session, [...backfilled, date]);
  const differences = positionDifferences(applied.portfolio.lots, await broker.getPositions());
  // Only when a stop ended at the broker or covers another quantity: the backtest's stops end by
  // filling whole or by an exit
  const reprotected =
    applied.reprotect.length === 0
      ? { lots: applied.portfolio.lots, quarantined: applied.quarantined, ordinals: 0 }
      : await protectAgain(deps, date, applied, new Set(differences.map((d) => d.symbol)));
  const anomalies = [
    ...noBarSince(gaps, backfilled[0] ?? date),
    ...reprotected.quarantined,
    ...differences,
  ];
  const working = await store.get(runKey(date, 'working-portfolio'), PortfolioSchema);
  await saveWorkingPortfolio(
    store,
    date,
    { ...applied.portfolio, lots: reprotected.lots },
    working?.version ?? null,
  );

  const artifact: DayArtifact = {
    vix: day.vix,
    vixAsOf: day.vixAsOf ?? null,
    vixStaleSessions: await staleSessions(calendar, day.vixAsOf, date),
    account: await broker.getAccount(),
    closedTrades: applied.closedTrades,
    filled: applied.filled,
    unfilled: applied.unfilled,
    warmedUpSessions,
    backfilled,
    quarantined: anomalies,
    carriedForward: [...gaps].map(([symbol, dates]) => ({ symbol, dates })),
    nextOrdinal: reprotected.ordinals,
    fingerprint: { ...featureFingerprint(market.symbols, config) },
  };
  // Last: its presence says the day is fetched
  await putArtifact(store, date, 'day', artifact);
  return summary(state, artifact);
};

/** How many sessions old a stand-in VIX close is, the day counted; 0 for the day's own. */
async function staleSessions(calendar: Calendar, asOf: string | undefined, date: string) {
  return asOf === undefined ? 0 : (await calendar.sessionsBetween(asOf, date)).length + 1;
}
