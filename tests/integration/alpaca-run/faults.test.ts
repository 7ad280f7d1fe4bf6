import { afterEach, describe, expect, it } from 'vitest';
import { firstError } from '../../../scripts/local/workflow.js';
import {
  type AlpacaRun,
  closed,
  entriesAt,
  inconsistencies,
  journal,
  onRequest,
  openAlpacaRun,
  orderAt,
  posts,
  runOn,
  succeeds,
} from './support.js';

/**
 * The whole daily run on Alpaca under the faults a real venue and network produce: the workflow
 * definition with its Retry, the handlers, the SDK over HTTP to the local Alpaca server. On the
 * shipped data 2023-06-15 sends four OTO entries (UNH, GOOGL, META, AMZN) that fill at the 16th's
 * open. After each fault the same checks hold (support.ts, `inconsistencies`): no order twice at
 * the server and no resend of one that landed, every journalled order at the server and every bot
 * order journalled, the books equal to the broker's positions, every lot protected by a live stop
 * at the server, and anything else quarantined and said in the report's alerts (equity/<date>).
 */
const FIRST = '2023-06-15';
const SECOND = '2023-06-16';
const THIRD = '2023-06-20'; // the 19th is Juneteenth
const ENTRIES = ['AMZN', 'GOOGL', 'META', 'UNH'];
const entryId = (symbol: string, date = FIRST) => `${date}-${symbol}-buy-entry`;
const stopId = (symbol: string, date = FIRST) => `${date}-${symbol}-sell-stop`;

let run: AlpacaRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function open(env?: Record<string, string>): Promise<AlpacaRun> {
  run = await openAlpacaRun(env ? { env } : {});
  return run;
}

const heldSymbols = async (r: AlpacaRun, date: string) =>
  (await closed(r.workflow, date)).portfolio.lots.map((lot) => lot.symbol).sort();
const alerts = async (r: AlpacaRun, date: string) => (await closed(r.workflow, date)).report.alerts;
const postsOf = (r: AlpacaRun, id: string) => posts(r.server).filter((p) => p.clientOrderId === id);

describe('the daily run on Alpaca under faults', () => {
  it('rides out 500 bursts on reads: the SDK retries short ones, the state machine longer ones', async () => {
    // Prepare: bursts the SDK absorbs (3 retries), and one on the account that outlasts them
    const r = await open();
    r.server.faults
      .failNext(2, { status: 500, method: 'GET', path: '/v2/stocks/bars' })
      .failNext(2, { status: 503, method: 'GET', path: '/v2/orders:by_client_order_id' })
      .failNext(3, { status: 502, method: 'GET', path: '/v2/positions' })
      .failNext(5, { status: 500, method: 'GET', path: '/v2/account' });
    // Act
    const outcome = await succeeds(r, FIRST);
    // Assess: one step failed once with a retriable error, and was retried
    const failures = outcome.steps.filter((s) => s.error);
    expect(failures.map((s) => s.error?.name)).toEqual(['BrokerUnavailableError']);
    expect(failures[0]?.error?.message).toMatch(/GET \/v2\/account: 500/);
    expect(entriesAt(r.server)).toHaveLength(ENTRIES.length);
    expect(await inconsistencies(r, FIRST)).toEqual([]);
    expect(await alerts(r, FIRST)).toEqual([expect.stringMatching(/^first run: indicators/)]);
    await succeeds(r, SECOND);
    expect(await heldSymbols(r, SECOND)).toEqual(ENTRIES);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });

  it('waits out a 429 with its rate-limit headers on a read, and a 429 on a submit is sent again once', async () => {
    // Prepare
    const r = await open();
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    r.server.faults
      .failNext(1, {
        status: 429,
        method: 'GET',
        path: '/v2/stocks/bars',
        headers: {
          'X-RateLimit-Limit': '200',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': reset,
        },
      })
      .failNext(1, { status: 429, method: 'POST', path: '/v2/orders' });
    // Act
    const outcome = await succeeds(r, FIRST);
    // Assess: the read came back after the window; the refused POST stored nothing and the
    // retried step sent it once more after looking it up
    const bars = r.server.requests({ method: 'GET', path: '/v2/stocks/bars' });
    expect(bars[0]?.status).toBe(429);
    expect(bars[1]?.status).toBe(200);
    const firstPost = posts(r.server)[0]!;
    expect(firstPost.status).toBe(429);
    expect(postsOf(r, firstPost.clientOrderId).map((p) => p.status)).toEqual([429, 200]);
    expect(outcome.steps.filter((s) => s.error).map((s) => s.state)).toEqual([
      'execute-orders-task',
    ]);
    expect(await inconsistencies(r, FIRST)).toEqual([]);
    await succeeds(r, SECOND);
    expect(await heldSymbols(r, SECOND)).toEqual(ENTRIES);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });

  it('after a timeout on a submit, finds the order at the broker instead of sending it again; a timed-out read is retried', async () => {
    // Prepare: a 300 ms timeout; the first submit is processed and its answer comes too late
    const r = await open({ ALPACA_TIMEOUT_MS: '300' });
    r.server.faults
      .delayNext(800, { method: 'POST', path: '/v2/orders', when: 'after' })
      .delayNext(800, { method: 'GET', path: '/v2/positions', when: 'before' });
    // Act
    const outcome = await succeeds(r, FIRST);
    // Assess
    expect(firstError(outcome)?.name).toBe('BrokerUnavailableError');
    for (const symbol of ENTRIES) expect(postsOf(r, entryId(symbol))).toHaveLength(1);
    const records = await journal(r.workflow);
    for (const symbol of ENTRIES) {
      expect(records.find((x) => x.clientOrderId === entryId(symbol))?.venue?.status).toBe('open');
    }
    expect(await inconsistencies(r, FIRST)).toEqual([]);
    await succeeds(r, SECOND);
    expect(await heldSymbols(r, SECOND)).toEqual(ENTRIES);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });

  it('a connection dropped after the order was accepted is looked up, one dropped before it is sent once more', async () => {
    // Prepare: the first POST lands and its answer is lost; the second never reaches the venue
    const r = await open();
    r.server.faults
      .dropNext({ when: 'after', method: 'POST', path: '/v2/orders' })
      .dropNext({ when: 'before', method: 'POST', path: '/v2/orders' });
    // Act
    await succeeds(r, FIRST);
    // Assess
    const outcomes = posts(r.server).map((p) => [p.clientOrderId, p.outcome]);
    expect(outcomes.slice(0, 3)).toEqual([
      [outcomes[0]![0], 'dropped-after'],
      [outcomes[1]![0], 'dropped-before'],
      [outcomes[1]![0], 'answered'],
    ]);
    expect(posts(r.server)).toHaveLength(ENTRIES.length + 1);
    expect(await inconsistencies(r, FIRST)).toEqual([]);
    await succeeds(r, SECOND);
    expect(await heldSymbols(r, SECOND)).toEqual(ENTRIES);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });

  it('builds the lot from what a partially filled entry bought, cancels the rest and keeps it protected', async () => {
    // Prepare: GOOGL's entry buys 30 of its 79 shares at the open; the rest would wait
    const r = await open();
    r.server.faults.partialFill({ clientOrderId: entryId('GOOGL'), qty: 30 });
    await succeeds(r, FIRST);
    // Act
    await succeeds(r, SECOND);
    // Assess: a lot of 30 whose stop covers 30, the entry's rest cancelled so no later open fills it
    const { portfolio } = await closed(r.workflow, SECOND);
    const googl = portfolio.lots.find((lot) => lot.symbol === 'GOOGL');
    expect(googl?.qty).toBe(30);
    expect(r.server.order(entryId('GOOGL'))).toMatchObject({
      status: 'canceled',
      filled_qty: '30',
    });
    expect(orderAt(r.server, stopId('GOOGL'))).toMatchObject({ status: 'new', qty: '30' });
    expect(portfolio.pending).toEqual([]);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
    const records = await journal(r.workflow);
    expect(records.find((x) => x.clientOrderId === entryId('GOOGL'))?.venue).toMatchObject({
      status: 'canceled',
      filledQty: 30,
    });
    await succeeds(r, THIRD);
    expect(r.server.order(entryId('GOOGL'))).toMatchObject({ filled_qty: '30' });
    expect(await inconsistencies(r, THIRD)).toEqual([]);
  });

  it('records refused entries (buying power, unknown symbol, wash trade) as rejected with the reason, and reports them', async () => {
    // Prepare
    const r = await open();
    r.server.faults
      .rejectSymbol('UNH', { status: 403, message: 'insufficient buying power' })
      .rejectSymbol('GOOGL', { status: 422, message: 'could not find asset "GOOGL"' })
      .rejectSymbol('META', {
        status: 403,
        message: 'potential wash trade detected. use complex orders',
      });
    // Act
    await succeeds(r, FIRST);
    // Assess: one POST each, nothing stored for the refused ones, their stops never sent
    for (const symbol of ENTRIES) expect(postsOf(r, entryId(symbol))).toHaveLength(1);
    expect(entriesAt(r.server).map((o) => o.symbol)).toEqual(['AMZN']);
    const records = await journal(r.workflow);
    const venueOf = (id: string) => records.find((x) => x.clientOrderId === id)?.venue;
    expect(venueOf(entryId('UNH'))).toMatchObject({
      status: 'rejected',
      rejectReason: '403 insufficient buying power',
    });
    expect(venueOf(entryId('GOOGL'))).toMatchObject({
      status: 'rejected',
      rejectReason: expect.stringMatching(/^422 could not find asset/),
    });
    expect(venueOf(entryId('META'))?.rejectReason).toMatch(/^403 potential wash trade/);
    for (const symbol of ['UNH', 'GOOGL', 'META']) {
      expect(venueOf(stopId(symbol))).toMatchObject({ status: 'rejected' });
    }
    const { portfolio } = await closed(r.workflow, FIRST);
    expect(portfolio.pending.map((p) => p.symbol)).toEqual(['AMZN']);
    // Each refusal by symbol, in the venue's words
    const refusals = (await alerts(r, FIRST)).filter((a) => a.includes('refused by the venue'));
    expect(refusals).toEqual([
      expect.stringMatching(
        /^UNH: BUY \d+ \(entry 2023-06-15-UNH-buy-entry\) refused by the venue: 403 insufficient buying power$/,
      ),
      expect.stringMatching(
        /^GOOGL: BUY \d+ \(entry .*\) refused by the venue: 422 could not find asset/,
      ),
      expect.stringMatching(
        /^META: BUY \d+ \(entry .*\) refused by the venue: 403 potential wash trade/,
      ),
    ]);
    expect(await inconsistencies(r, FIRST)).toEqual([]);
    r.server.faults.clear();
    await succeeds(r, SECOND);
    expect(await heldSymbols(r, SECOND)).toEqual(['AMZN']);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });

  it('an entry that expired, or was rejected at the open, ends without a lot and is reported', async () => {
    // Prepare: META's entry expires before the open; AMZN's is rejected when it would fill
    const r = await open();
    await succeeds(r, FIRST);
    r.server.expireOrder(entryId('META'));
    r.server.faults.rejectSymbol('AMZN', { at: 'fill', message: 'order rejected at the open' });
    // Act
    await succeeds(r, SECOND);
    // Assess
    expect(await heldSymbols(r, SECOND)).toEqual(['GOOGL', 'UNH']);
    expect(await alerts(r, SECOND)).toContain('2 order(s) ended at the venue without a fill');
    const { day } = await closed(r.workflow, SECOND);
    expect(day.unfilled.map((o) => [o.clientOrderId, o.status]).sort()).toEqual([
      [entryId('AMZN'), 'rejected'],
      [entryId('META'), 'expired'],
    ]);
    expect(orderAt(r.server, stopId('META'))?.status).toBe('canceled');
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });

  it('a protective stop expired or cancelled at the broker is re-placed for its lot, and reported', async () => {
    // Prepare: the lots are held; UNH's stop expires and GOOGL's is cancelled at the broker
    const r = await open({});
    await succeeds(r, FIRST);
    await succeeds(r, SECOND);
    const unhLeg = orderAt(r.server, stopId('UNH'))!;
    const googlLeg = orderAt(r.server, stopId('GOOGL'))!;
    r.server.expireOrder(String(unhLeg.id));
    r.server.venue.cancel(r.server.venue.find(String(googlLeg.id))!);
    // The cancel completes 100 ms later: the run finds it pending_cancel and waits it out, no
    // second cancel, before it protects the lot again
    expect(r.server.order(String(googlLeg.id))?.status).toBe('pending_cancel');
    // Act
    await succeeds(r, THIRD);
    // Assess: both lots held, each with a new live stop for its shares at its stop price
    const { portfolio } = await closed(r.workflow, THIRD);
    expect(portfolio.lots.map((lot) => lot.symbol).sort()).toEqual(ENTRIES);
    for (const symbol of ['UNH', 'GOOGL']) {
      const lot = portfolio.lots.find((l) => l.symbol === symbol)!;
      // Named by the date, the lot (its entry's date) and the cause: unique per re-place
      expect(lot.stopOrderId).toBe(`${stopId(symbol, THIRD)}-${FIRST}-protect`);
      const stop = r.server.order(lot.stopOrderId);
      expect(stop).toMatchObject({ status: 'accepted', type: 'stop', qty: String(lot.qty) });
      expect(Number(stop?.stop_price)).toBeCloseTo(lot.stopPrice, 2);
      expect(await alerts(r, THIRD)).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${symbol} quarantined .*re-placed as ${lot.stopOrderId} for ${lot.qty}$`),
        ),
      );
    }
    expect(r.server.requests({ method: 'DELETE', path: `/v2/orders/${googlLeg.id}` })).toEqual([]);
    expect(await inconsistencies(r, THIRD)).toEqual([]);
    // The next day UNH's new stop expires too: a second re-place, under the next date's id
    const stopPosts = () => posts(r.server).filter((p) => p.clientOrderId.includes('-sell-stop-'));
    const placed = stopPosts().length;
    r.server.expireOrder(`${stopId('UNH', THIRD)}-${FIRST}-protect`);
    await succeeds(r, '2023-06-21');
    const next = await closed(r.workflow, '2023-06-21');
    const stopOf = (symbol: string) =>
      next.portfolio.lots.find((l) => l.symbol === symbol)?.stopOrderId;
    expect(stopOf('UNH')).toBe(`${stopId('UNH', '2023-06-21')}-${FIRST}-protect`);
    expect(stopOf('GOOGL')).toBe(`${stopId('GOOGL', THIRD)}-${FIRST}-protect`);
    expect(
      stopPosts()
        .slice(placed)
        .map((p) => [p.clientOrderId, p.status]),
    ).toEqual([[`${stopId('UNH', '2023-06-21')}-${FIRST}-protect`, 200]]);
    expect(await inconsistencies(r, '2023-06-21')).toEqual([]);
  });

  it('a manual trade that the books do not know is quarantined and reported, the lots keep their stops', async () => {
    // Prepare: someone bought 10 more AMZN and 5 MSFT by hand
    const r = await open();
    await succeeds(r, FIRST);
    await succeeds(r, SECOND);
    r.server.setPosition('AMZN', 88, 125);
    r.server.setPosition('MSFT', 5, 340);
    // Act
    await succeeds(r, THIRD);
    // Assess
    expect(await alerts(r, THIRD)).toEqual(
      expect.arrayContaining([
        "AMZN quarantined (no entry, no exit today): position differs from the broker's: books 78, broker 88",
        "MSFT quarantined (no entry, no exit today): position differs from the broker's: books 0, broker 5",
      ]),
    );
    expect(await heldSymbols(r, THIRD)).toEqual(ENTRIES);
    expect(orderAt(r.server, stopId('AMZN'))).toMatchObject({ status: 'new', qty: '78' });
    expect(await inconsistencies(r, THIRD)).toEqual([]);
  });

  it('the whole run started twice the same day, at once and again after, sends each order once', async () => {
    // Prepare
    const r = await open();
    // Act: two executions of the date at once, then a third after they ended
    const [a, b] = await Promise.all([runOn(r, FIRST), runOn(r, FIRST)]);
    const again = await runOn(r, FIRST);
    // Assess: one ran, the other was refused while it held the claim; the rerun found it done
    const statuses = [a, b].map((o) => o.error?.name ?? o.status).sort();
    expect(statuses).toEqual(['RunInProgressError', 'succeeded']);
    expect(again.error?.name).toBe('RunAlreadyCompletedError');
    expect(posts(r.server)).toHaveLength(ENTRIES.length);
    expect(await inconsistencies(r, FIRST)).toEqual([]);
    await succeeds(r, SECOND);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });

  it('a step crashing mid-way after an order reached the broker is retried and finds it', async () => {
    // Prepare: the second submit lands but its answer is lost, and the lookup after it fails
    // too: execute-orders dies with an order at the broker that its books have not recorded
    const r = await open();
    onRequest(r, 'POST', '/v2/orders', (n) => {
      if (n !== 2) return;
      r.server.faults
        .dropNext({ when: 'after', method: 'POST', path: '/v2/orders' })
        .failNext(4, { status: 500, method: 'GET', path: '/v2/orders:by_client_order_id' });
    });
    // Act
    const outcome = await succeeds(r, FIRST);
    // Assess: the state machine's Retry ran the step again, which sent only what was missing
    expect(outcome.steps.filter((s) => s.error).map((s) => s.state)).toEqual([
      'execute-orders-task',
    ]);
    expect(posts(r.server)).toHaveLength(ENTRIES.length);
    const { portfolio } = await closed(r.workflow, FIRST);
    expect(portfolio.pending).toHaveLength(ENTRIES.length);
    expect(await inconsistencies(r, FIRST)).toEqual([]);
    await succeeds(r, SECOND);
    expect(await heldSymbols(r, SECOND)).toEqual(ENTRIES);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });

  it('a run that fails mid-way after its retries, rerun for the date, sends only what is missing', async () => {
    // Prepare: from the third submit on, the broker answers 500 to every POST (nothing stored)
    const r = await open();
    onRequest(r, 'POST', '/v2/orders', (n) => {
      if (n === 3) r.server.faults.failNext(4, { status: 500, method: 'POST', path: '/v2/orders' });
    });
    // Act
    const failed = await runOn(r, FIRST);
    const rerun = await runOn(r, FIRST);
    // Assess: four attempts of execute-orders, each finding the two sent; the rerun completes
    expect(failed.status).toBe('failed');
    expect(failed.steps.filter((s) => s.error).map((s) => s.error?.name)).toEqual(
      Array(4).fill('BrokerUnavailableError'),
    );
    expect(firstError(rerun)).toBeUndefined();
    expect(rerun.status).toBe('succeeded');
    const landed = posts(r.server).filter((p) => p.status === 200);
    expect(landed.map((p) => p.clientOrderId).sort()).toEqual(
      ENTRIES.map((symbol) => entryId(symbol)).sort(),
    );
    expect(await inconsistencies(r, FIRST)).toEqual([]);
    await succeeds(r, SECOND);
    expect(await heldSymbols(r, SECOND)).toEqual(ENTRIES);
    expect(await inconsistencies(r, SECOND)).toEqual([]);
  });
});
