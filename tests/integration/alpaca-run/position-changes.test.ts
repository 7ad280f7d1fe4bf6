import { afterEach, describe, expect, it } from 'vitest';
import {
  type AlpacaRun,
  closed,
  inconsistencies,
  journal,
  onRequest,
  openAlpacaRun,
  orderAt,
  posts,
  succeeds,
} from './support.js';

/**
 * The daily run on Alpaca when a position changes under its stop: a second lot in a held symbol
 * (Alpaca's wash-trade rule), an exit that sold only part of its shares, an entry's leg that
 * covers what the entry ordered rather than what it bought. Day by day, the books must equal the
 * broker's positions and every held share be covered by exactly one live stop, no more.
 */
let run: AlpacaRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

/** Shares of a symbol that live sell stops at the server cover. */
const stopCover = (r: AlpacaRun, symbol: string) =>
  r.server
    .orders()
    .filter(
      (o) =>
        o.symbol === symbol &&
        o.side === 'sell' &&
        o.type === 'stop' &&
        ['new', 'accepted', 'partially_filled'].includes(String(o.status)),
    )
    .reduce((sum, o) => sum + Number(o.qty) - Number(o.filled_qty), 0);

const heldQty = async (r: AlpacaRun, date: string, symbol: string) =>
  (await closed(r.workflow, date)).portfolio.lots
    .filter((lot) => lot.symbol === symbol)
    .reduce((sum, lot) => sum + lot.qty, 0);

describe('the daily run on Alpaca when a position changes', () => {
  it('a second lot in a held symbol is refused as a wash trade and reported; the held lot keeps its stop', async () => {
    // Prepare: a heat cap that does not bind, so that on the shipped data NVDA, bought on the
    // 12th (ml-momentum), gets a volatility-breakout signal on the 14th while it is held
    const r = await openAlpacaRun({
      server: { date: '2023-07-12', at: '17:00', washTradeStatus: 422 },
      config: {
        regime: { maxHeat: { low: 1, normal: 1, high: 1 } },
        risk: { maxPositions: 30 },
        sizing: { maxPositionFraction: 0.05 },
      },
    });
    run = r;
    await succeeds(r, '2023-07-12');
    await succeeds(r, '2023-07-13');
    const first = (await closed(r.workflow, '2023-07-13')).portfolio.lots.find(
      (lot) => lot.symbol === 'NVDA',
    )!;
    expect(first).toMatchObject({ strategy: 'ml-momentum' });
    expect(stopCover(r, 'NVDA')).toBe(first.qty);
    // Act
    await succeeds(r, '2023-07-14');
    // Assess: one POST, refused with Alpaca's words, nothing stored, its stop never sent
    const second = '2023-07-14-NVDA-buy-entry';
    expect(posts(r.server).filter((p) => p.clientOrderId === second)).toEqual([
      expect.objectContaining({ status: 422 }),
    ]);
    expect(r.server.order(second)).toBeUndefined();
    const records = await journal(r.workflow);
    const venueOf = (id: string) => records.find((x) => x.clientOrderId === id)?.venue;
    expect(venueOf(second)).toMatchObject({
      status: 'rejected',
      rejectReason: '422 potential wash trade detected. use complex orders',
    });
    expect(venueOf('2023-07-14-NVDA-sell-stop')).toMatchObject({ status: 'rejected' });
    const { report, portfolio } = await closed(r.workflow, '2023-07-14');
    expect(report.alerts).toContainEqual(
      expect.stringMatching(
        /^NVDA: BUY \d+ \(entry 2023-07-14-NVDA-buy-entry\) refused by the venue: 422 potential wash trade detected/,
      ),
    );
    expect(portfolio.pending.some((p) => p.symbol === 'NVDA')).toBe(false);
    // The held lot is untouched: its own stop, live, for its shares
    expect(portfolio.lots.filter((lot) => lot.symbol === 'NVDA')).toEqual([first]);
    expect(orderAt(r.server, first.stopOrderId)).toMatchObject({ status: 'new' });
    expect(stopCover(r, 'NVDA')).toBe(first.qty);
    expect(await inconsistencies(r, '2023-07-14')).toEqual([]);
    // The next day carries on with the one lot, still covered
    await succeeds(r, '2023-07-17');
    expect(await heldQty(r, '2023-07-17', 'NVDA')).toBe(first.qty);
    expect(stopCover(r, 'NVDA')).toBe(first.qty);
    expect(await inconsistencies(r, '2023-07-17')).toEqual([]);
  });

  it('an exit that sold part of its shares before it expired: the rest stays held under a stop for exactly the rest', async () => {
    // Prepare: the 15th's entries fill on the 16th; UNH's time exit is decided on the 23rd
    const r = await openAlpacaRun();
    run = r;
    const days = ['2023-06-15', '2023-06-16', '2023-06-20', '2023-06-21', '2023-06-22'];
    for (const date of days) {
      await succeeds(r, date);
      expect(await inconsistencies(r, date)).toEqual([]);
    }
    const held = await heldQty(r, '2023-06-22', 'UNH');
    expect(held).toBeGreaterThan(10);
    // The exit sells 10 at the 26th's open; its rest expires at the close (a day order)
    const exitId = '2023-06-23-UNH-sell-exit';
    r.server.faults.partialFill({ clientOrderId: exitId, qty: 10 });
    await succeeds(r, '2023-06-23');
    expect(r.server.order(exitId)).toMatchObject({ time_in_force: 'day', qty: String(held) });
    expect(stopCover(r, 'UNH')).toBe(0); // its stop was cancelled to free the shares
    // Act
    await succeeds(r, '2023-06-26');
    // Assess: 10 sold and closed, the rest held and covered by one new stop for exactly them
    expect(r.server.order(exitId)).toMatchObject({ status: 'expired', filled_qty: '10' });
    const { portfolio, day, report } = await closed(r.workflow, '2023-06-26');
    const rest = portfolio.lots.find((lot) => lot.symbol === 'UNH')!;
    expect(rest.qty).toBe(held - 10);
    expect(rest.stopOrderId).toBe('2023-06-26-UNH-sell-stop-2023-06-15-protect');
    expect(r.server.order(rest.stopOrderId)).toMatchObject({ qty: String(held - 10) });
    expect(stopCover(r, 'UNH')).toBe(held - 10);
    expect(day.closedTrades.filter((t) => t.symbol === 'UNH').map((t) => t.qty)).toEqual([10]);
    expect(report.alerts).toContainEqual(
      expect.stringMatching(
        new RegExp(`^UNH quarantined .*exit ${exitId} sold 10 of ${held} and was then expired`),
      ),
    );
    expect(await inconsistencies(r, '2023-06-26')).toEqual([]);
    // The next day the time exit sells the rest, after cancelling that stop; then UNH is flat
    await succeeds(r, '2023-06-27');
    expect(r.server.order('2023-06-27-UNH-sell-exit')).toMatchObject({ qty: String(held - 10) });
    expect(r.server.order(rest.stopOrderId)).toMatchObject({ status: 'canceled' });
    expect(await inconsistencies(r, '2023-06-27')).toEqual([]);
    await succeeds(r, '2023-06-28');
    expect(await heldQty(r, '2023-06-28', 'UNH')).toBe(0);
    expect(r.server.positions().some((p) => p.symbol === 'UNH')).toBe(false);
    expect(await inconsistencies(r, '2023-06-28')).toEqual([]);
  });

  it("an entry's leg left covering what it ordered is replaced by a stop for what it bought, once, across a crash", async () => {
    // Prepare: GOOGL's entry buys 30 of 79 at the 16th's open; when the run cancels its rest, the
    // venue leaves the leg for all 79 (a stop that would sell 49 shares not held)
    const r = await openAlpacaRun({ server: { legQtyOnPartialFill: 'ordered' } });
    run = r;
    r.server.faults.partialFill({ clientOrderId: '2023-06-15-GOOGL-buy-entry', qty: 30 });
    await succeeds(r, '2023-06-15');
    // The resizing stop lands but its answer is lost, and the lookup after it fails too: the
    // step dies with the old leg cancelled and the new stop at the broker, unrecorded
    const resized = '2023-06-16-GOOGL-sell-stop-2023-06-15-protect';
    onRequest(r, 'POST', '/v2/orders', (n) => {
      // The first POST of the next run: fetch-data's, before any entry or exit
      if (n !== 1) return;
      r.server.faults
        .dropNext({ when: 'after', method: 'POST', path: '/v2/orders' })
        .failNext(4, { status: 500, method: 'GET', path: '/v2/orders:by_client_order_id' });
    });
    // Act
    const outcome = await succeeds(r, '2023-06-16');
    // Assess: fetch-data failed once and was retried; the retry found the stop, sent nothing
    expect(outcome.steps.filter((s) => s.error).map((s) => s.state)).toEqual(['fetch-data-task']);
    expect(posts(r.server).filter((p) => p.clientOrderId === resized)).toHaveLength(1);
    const leg = orderAt(r.server, '2023-06-15-GOOGL-sell-stop')!;
    expect(leg).toMatchObject({ status: 'canceled', qty: '79' });
    const { portfolio, report } = await closed(r.workflow, '2023-06-16');
    const lot = portfolio.lots.find((l) => l.symbol === 'GOOGL')!;
    expect(lot).toMatchObject({ qty: 30, stopOrderId: resized });
    expect(r.server.order(resized)).toMatchObject({
      type: 'stop',
      qty: '30',
      time_in_force: 'gtc',
    });
    expect(stopCover(r, 'GOOGL')).toBe(30);
    expect(report.alerts).toContainEqual(
      expect.stringMatching(/^GOOGL quarantined .*re-placed as/),
    );
    expect(await inconsistencies(r, '2023-06-16')).toEqual([]);
    // The next day the lot is covered by that stop alone, and nothing is placed again
    const before = posts(r.server).length;
    await succeeds(r, '2023-06-20');
    expect(
      posts(r.server)
        .slice(before)
        .some((p) => p.clientOrderId.includes('GOOGL')),
    ).toBe(false);
    expect(stopCover(r, 'GOOGL')).toBe(await heldQty(r, '2023-06-20', 'GOOGL'));
    expect(await inconsistencies(r, '2023-06-20')).toEqual([]);
  });
});
