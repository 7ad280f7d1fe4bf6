import type { Lot } from '../domain/model.js';
import {
  clientOrderId,
  replacedStopId,
  type StopReplacement,
} from '../domain/orders/client-order-id.js';
import { isWorking } from '../domain/orders/order-status.js';
import type { PendingExit } from '../domain/portfolio/portfolio.js';
import { buildStrategies } from '../domain/strategies/index.js';
import { type ExitPlan, exitPlanOf, planExits } from '../domain/strategies/scan.js';
import { CorruptStateError, type Order, runKey } from '../ports/index.js';
import {
  DayArtifactSchema,
  type ExitsArtifact,
  ExitsArtifactSchema,
  type HeldExit,
  type OrderRecord,
  OrdersArtifactSchema,
  type Refusal,
  refusalOf,
  SignalsArtifactSchema,
} from './documents.js';
import { contextFrom } from './generate-signals.js';
import { journalAnswer, journalOrder, journalVenue } from './order-journal.js';
import {
  loadWorkingPortfolio,
  putArtifact,
  requireArtifact,
  requireFeatures,
  saveWorkingPortfolio,
} from './state.js';
import { submitOnce } from './submit-once.js';
import type { StepDeps, StepFactory } from './types.js';
import { withCounts } from './types.js';

/**
 * Places a lot's protective stop again, for the shares the lot holds at its stop price, good till
 * cancelled, under `replacedStopId` (one per lot, date and cause), journalled like every order,
 * and returns the venue's answer: after the venue refused its exit (`kept`: its old stop was
 * cancelled to free the shares), or at the start of a run (`protect`: its stop ended at the
 * broker, or was cancelled for covering another quantity). `ordinal` is its place in the day's
 * journal. A rerun finds the order under its id instead of placing a second one.
 */
export async function replaceStop(
  { store, broker }: Pick<StepDeps, 'store' | 'broker'>,
  date: string,
  lot: Lot,
  placement: { readonly ordinal: number; readonly cause: StopReplacement; readonly why: string },
): Promise<Order> {
  const { ordinal, cause, why } = placement;
  const id = replacedStopId(date, lot, cause);
  const record: OrderRecord = {
    clientOrderId: id,
    decisionDate: date,
    symbol: lot.symbol,
    side: 'sell',
    qty: lot.qty,
    intent: 'stop',
    strategy: lot.strategy,
    reason: `stop re-placed at ${lot.stopPrice}: ${why}`,
    ordinal,
    riskRejected: false,
    venue: null,
  };
  const journalled = await journalOrder(store, record);
  // A refusal an earlier attempt met stays one (the venue keeps no record of it): not sent again
  const earlier = journalled.value.venue;
  if (earlier?.status === 'rejected') return earlier;
  const stop = await submitOnce(broker, {
    clientOrderId: id,
    symbol: lot.symbol,
    side: 'sell',
    qty: lot.qty,
    type: 'stop',
    stopPrice: lot.stopPrice,
    intent: 'stop',
    timeInForce: 'gtc',
  });
  await journalAnswer(store, journalled, stop);
  return stop;
}

/**
 * Step 8: each lot's own strategy exit (and the optional profit target) at today's close, whatever
 * the trading state; one market sell per symbol at the next open, after cancelling the lots' stops.
 * An exit the venue refuses leaves its lots held and protected by re-placed stops, and is reported.
 */
export const monitorExits: StepFactory = (deps) => {
  const strategies = buildStrategies(deps.config);
  return async (state) => {
    const { store, broker } = deps;
    const date = state.tradingDate;
    const [features, { sentiment }, { nextOrdinal }, { value: portfolio, version }, day, earlier] =
      await Promise.all([
        requireFeatures(store, date),
        requireArtifact(store, date, 'signals', SignalsArtifactSchema),
        requireArtifact(store, date, 'orders', OrdersArtifactSchema),
        loadWorkingPortfolio(store, date),
        requireArtifact(store, date, 'day', DayArtifactSchema),
        store.get(runKey(date, 'exits'), ExitsArtifactSchema),
      ]);
    const planned = earlier?.value.lotIds === undefined ? undefined : earlier.value;
    let plan: ExitPlan;
    if (planned) {
      plan = replan(planned, portfolio.lots, date);
    } else {
      // A quarantined symbol's books are in doubt: its lots wait, protected by their stops
      const quarantined = new Set(day.quarantined.map((q) => q.symbol));
      plan = planExits(
        strategies,
        contextFrom(features.features(), sentiment),
        portfolio.lots.filter((lot) => !quarantined.has(lot.symbol)),
        features.session,
        (symbol) => features.indexOf(symbol),
      );
    }
    const { exits, bySymbol } = plan;
    const lotIds = plan.lots.map((lot) => lot.entryOrderId);
    if (!planned && exits.length > 0) {
      // Written before anything is cancelled or sent: a rerun acts on this plan, not on one made
      // again from headlines or a config that may have changed since
      const ahead: ExitsArtifact = {
        exits,
        lotIds,
        sent: [],
        rejectedAtVenue: 0,
        refused: [],
        held: [],
      };
      await putArtifact(store, date, 'exits', ahead);
    }

    const pending = [...portfolio.pending];
    let lotsNow = portfolio.lots;
    const sent: string[] = [];
    const refused: Refusal[] = [];
    const held: HeldExit[] = [];
    let rejectedAtVenue = 0;
    let ordinal = nextOrdinal;
    for (const { symbol, lots, decisions } of bySymbol) {
      const id = clientOrderId(date, symbol, 'sell', 'exit');
      const qty = lots.reduce((sum, lot) => sum + lot.qty, 0);
      const record: OrderRecord = {
        clientOrderId: id,
        decisionDate: date,
        symbol,
        side: 'sell',
        qty,
        intent: 'exit',
        strategy: lots.map((lot) => lot.strategy).join('+'),
        reason: decisions.map((d) => `${d.reason}: ${d.detail}`).join('; '),
        ordinal: ordinal++,
        riskRejected: false,
        venue: null,
      };
      const journalled = await journalOrder(store, record);
      // What an earlier attempt of this step learnt: a venue keeps no record of a refused order
      const earlier = journalled.value.venue;
      if (earlier === null) {
        const unfreed = await freeShares(deps, date, lots, ordinal);
        if (unfreed !== null) {
          held.push({ clientOrderId: id, symbol, reason: unfreed.reason });
          refused.push(...unfreed.refused);
          lotsNow = lotsNow.map((lot) => unfreed.lots.get(lot) ?? lot);
          ordinal += lots.length; // one for each stop it may have placed again
          continue;
        }
      }
      const answer =
        earlier ??
        (await submitOnce(broker, {
          clientOrderId: id,
          symbol,
          side: 'sell',
          qty,
          type: 'market',
          intent: 'exit',
          // What has not sold by the close expires; the next run protects what is still held
          timeInForce: 'day',
        }));
      await journalAnswer(store, journalled, answer);
      sent.push(id);
      if (answer.status === 'rejected') {
        rejectedAtVenue += 1;
        refused.push(refusalOf(answer));
        // Refused: the lots stay held, so they must be protected again at once
        for (const lot of lots) {
          const why = `the exit was refused (${answer.rejectReason ?? 'no reason given'})`;
          const stop = await replaceStop(deps, date, lot, {
            ordinal: ordinal++,
            cause: 'kept',
            why,
          });
          // A lot whose stop was refused too is bare tonight: the report must say so, and the next
          // run's fetch-data places its stop again (it reads the refusal from the journal)
          if (stop.status === 'rejected') refused.push(refusalOf(stop));
          lotsNow = lotsNow.map((held) =>
            held === lot ? { ...lot, stopOrderId: stop.clientOrderId } : held,
          );
        }
        continue;
      }
      if (pending.some((p) => p.clientOrderId === id)) continue; // a rerun of this step
      const exit: PendingExit = {
        intent: 'exit',
        clientOrderId: id,
        decisionDate: date,
        symbol,
        qty,
        allocations: lots.map((lot, i) => ({
          strategy: lot.strategy,
          qty: lot.qty,
          reason: decisions[i]!.reason,
          detail: decisions[i]!.detail,
        })),
      };
      pending.push(exit);
    }
    if (pending.length !== portfolio.pending.length || lotsNow !== portfolio.lots) {
      await saveWorkingPortfolio(store, date, { ...portfolio, lots: lotsNow, pending }, version);
    }
    const artifact: ExitsArtifact = { exits, lotIds, sent, rejectedAtVenue, refused, held };
    await putArtifact(store, date, 'exits', artifact);
    return withCounts(state, { exits: exits.length, exitOrders: sent.length });
  };
};

/**
 * Cancels the stops of an exit's lots, which hold the shares at the venue, so that the exit can
 * sell them. Null when every stop ended cancelled with nothing filled (or the venue knows it no
 * more) and the shares are free. Otherwise a stop traded, or ended some other way, before its
 * cancel took (a run resumed during a session): the exit must not go out, or it would sell shares
 * that are gone. The lots whose stops were cancelled are protected again at once (`kept`), the one
 * that traded is left pointing at its stop for the next run's fetch-data to apply. A rerun finds
 * its lots on today's kept stops and, with the exit unsent, does the same again without
 * cancelling those.
 */
async function freeShares(
  deps: Pick<StepDeps, 'store' | 'broker'>,
  date: string,
  lots: readonly Lot[],
  firstOrdinal: number,
): Promise<{ reason: string; refused: Refusal[]; lots: Map<Lot, Lot> } | null> {
  const keptBefore = lots.some((lot) => lot.stopOrderId === replacedStopId(date, lot, 'kept'));
  const ended: Order[] = [];
  const cancelled: Lot[] = [];
  for (const lot of lots) {
    if (lot.stopOrderId === replacedStopId(date, lot, 'kept')) continue;
    const order = await deps.broker.cancelOrder(lot.stopOrderId);
    if (order) await journalVenue(deps.store, [order]);
    // Cancelled, or ended otherwise with nothing sold (expired), or unknown to the venue
    if (order === undefined || (!isWorking(order) && order.filledQty === 0)) {
      cancelled.push(lot);
    } else {
      ended.push(order);
    }
  }
  if (ended.length === 0 && !keptBefore) return null;
  const reason =
    ended.length > 0
      ? `${ended.map((o) => `its stop ${o.clientOrderId} was ${o.status} (${o.filledQty} of ${o.qty} filled)`).join('; ')} when cancelled to free the shares: left for the next run`
      : 'an earlier attempt found a stop traded when cancelled to free the shares: left for the next run';
  const refused: Refusal[] = [];
  const protectedLots = new Map<Lot, Lot>();
  for (const [i, lot] of cancelled.entries()) {
    const stop = await replaceStop(deps, date, lot, {
      ordinal: firstOrdinal + i,
      cause: 'kept',
      why: 'the exit was not sent: another of its stops traded',
    });
    if (stop.status === 'rejected') refused.push(refusalOf(stop));
    protectedLots.set(lot, { ...lot, stopOrderId: stop.clientOrderId });
  }
  return { reason, refused, lots: protectedLots };
}

/** The plan an earlier attempt of the run wrote, on the lots it named (held since the day began). */
function replan(planned: ExitsArtifact, lots: readonly Lot[], date: string): ExitPlan {
  return exitPlanOf(
    planned.exits.map((exit, i) => {
      const id = planned.lotIds?.[i];
      const lot = lots.find((held) => held.entryOrderId === id);
      if (lot === undefined) {
        throw new CorruptStateError(
          `the exits of ${date} name lot ${id ?? '(none)'} for ${exit.symbol}, which the working portfolio does not hold`,
        );
      }
      return { lot, exit };
    }),
  );
}
