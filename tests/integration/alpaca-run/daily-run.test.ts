import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstError } from '../../../scripts/local/workflow.js';
import { PortfolioSchema } from '../../../shared/steps/documents.js';
import {
  type AlpacaRun,
  entriesAt as entriesAtServer,
  inconsistencies,
  journal,
  openAlpacaRun,
  posts as postsAt,
} from './support.js';

/**
 * The daily workflow on the Alpaca broker: the real definition, the real SDK over HTTP to the
 * local Alpaca server (serving the shipped bars), CBOE's VIX from a local stand-in. The server's
 * clock is after the close of each run's date, as the schedule starts the run at 16:15.
 */
let run: AlpacaRun;
beforeAll(async () => {
  run = await openAlpacaRun();
});
afterAll(() => run.close());

const posts = () => postsAt(run.server);
const entriesAt = () => entriesAtServer(run.server);

describe('a daily run on Alpaca, through the SDK', () => {
  it('warms up from Alpaca history and sends each approved entry as one OTO order', async () => {
    // Act
    const outcome = await run.workflow.run('2023-06-15');
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    expect(outcome.status).toBe('succeeded');
    const sent = (await journal(run.workflow)).filter(
      (r) => r.intent === 'entry' && !r.riskRejected,
    );
    expect(sent.length).toBeGreaterThan(0);
    expect(
      entriesAt()
        .map((o) => o.client_order_id)
        .sort(),
    ).toEqual(sent.map((r) => r.clientOrderId).sort());
    for (const order of entriesAt())
      expect(order).toMatchObject({ order_class: 'oto', time_in_force: 'gtc' });
  });

  it('the same date again posts nothing and says it already ran', async () => {
    // Prepare
    const before = posts().length;
    // Act
    const outcome = await run.workflow.run('2023-06-15');
    // Assess
    expect(outcome.error?.name).toBe('RunAlreadyCompletedError');
    expect(posts()).toHaveLength(before);
  });

  it('the next day carries the filled positions over, each protected by its stop at the broker', async () => {
    // Prepare: the 16th's open fills the entries; the run starts after its close
    run.server.advanceTo('2023-06-16', '17:00');
    // Act
    const outcome = await run.workflow.run('2023-06-16');
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    const portfolio = await run.workflow.store.get('portfolio/2023-06-16', PortfolioSchema);
    const lots = portfolio?.value.lots ?? [];
    expect(lots.map((lot) => lot.symbol).sort()).toEqual(
      entriesAt()
        .map((o) => String(o.symbol))
        .sort(),
    );
    for (const lot of lots) {
      const flat = entriesAt().find((o) => o.symbol === lot.symbol)!;
      const entry = run.server.order(String(flat.client_order_id))!;
      const legs = entry.legs as { status: string; type: string; stop_price: string }[];
      expect(legs).toEqual([expect.objectContaining({ type: 'stop', status: 'new' })]);
      expect(Number(legs[0]!.stop_price)).toBeCloseTo(lot.stopPrice, 2);
    }
    // No client order id at the server twice
    const ids = run.server.orders().map((o) => o.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await inconsistencies(run, '2023-06-16')).toEqual([]);
  });
});
