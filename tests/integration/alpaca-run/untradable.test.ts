import { afterEach, describe, expect, it } from 'vitest';
import { firstError } from '../../../scripts/local/workflow.js';
import { SHIPPED_UNIVERSE } from '../../../shared/domain/config.js';
import { runKey } from '../../../shared/ports/index.js';
import { DecisionsArtifactSchema, SizedArtifactSchema } from '../../../shared/steps/documents.js';
import { type AlpacaRun, closed, inconsistencies, openAlpacaRun, posts } from './support.js';

/**
 * A symbol Alpaca lists inactive or not tradable, through the whole workflow: the risk check asks
 * the assets API about the day's candidates, refuses their entries, the report names them, and
 * the lots already held keep their stops.
 */
let run: AlpacaRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe('symbols Alpaca will not trade', () => {
  it('get no new entries and are reported; the lots held keep their stops', async () => {
    // Prepare: a day of entries, then every symbol off the list (MSFT inactive, the rest untradable)
    run = await openAlpacaRun({ server: { date: '2023-06-14', at: '17:00' } });
    expect(firstError(await run.workflow.run('2023-06-14'))).toBeUndefined();
    for (const symbol of SHIPPED_UNIVERSE) {
      run.server.setAsset(symbol, symbol === 'MSFT' ? { status: 'inactive' } : { tradable: false });
    }
    run.server.advanceTo('2023-06-15', '17:00');
    const postsBefore = posts(run.server).length;
    const requestsBefore = run.server.requests().length;
    // Act
    const outcome = await run.workflow.run('2023-06-15');
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    const { report, portfolio } = await closed(run.workflow, '2023-06-15');
    const sized =
      (await run.workflow.store.get(runKey('2023-06-15', 'sized'), SizedArtifactSchema))?.value
        .orders ?? [];
    const candidates = [...new Set(sized.map((order) => order.symbol))].sort();
    expect(candidates.length).toBeGreaterThan(0);
    // One look-up a candidate, none for the rest of the universe
    const asked = run.server
      .requests()
      .slice(requestsBefore)
      .filter((r) => r.method === 'GET' && r.path.startsWith('/v2/assets/'))
      .map((r) => r.path.slice('/v2/assets/'.length))
      .sort();
    expect(asked).toEqual(candidates);
    expect(asked.length).toBeLessThan(SHIPPED_UNIVERSE.length);
    const decisions =
      (await run.workflow.store.get(runKey('2023-06-15', 'decisions'), DecisionsArtifactSchema))
        ?.value.decisions ?? [];
    expect(decisions.length).toBe(sized.length);
    expect(decisions.every((d) => !d.approved && d.reason === 'NOT_TRADABLE')).toBe(true);
    for (const symbol of candidates) {
      const why = symbol === 'MSFT' ? 'Alpaca lists it inactive' : 'Alpaca lists it not tradable';
      expect(report.alerts).toContain(
        `${symbol}: ${why}, so no new entry; its exits and stop still run`,
      );
    }
    // No new entry went out; the lots held are still held, under their stops
    const entriesSent = posts(run.server)
      .slice(postsBefore)
      .filter((p) => p.clientOrderId.endsWith('-buy-entry'));
    expect(entriesSent.map((p) => p.clientOrderId)).toEqual([]);
    // The 14th's entries filled at the 15th's open, listings or not: those lots are held, stopped
    const enteredOn14th = posts(run.server)
      .slice(0, postsBefore)
      .filter((p) => p.clientOrderId.endsWith('-buy-entry'))
      .map((p) => String((p.body as { symbol?: unknown }).symbol));
    expect(enteredOn14th.length).toBeGreaterThan(0);
    expect(portfolio.lots.map((lot) => lot.symbol).sort()).toEqual(enteredOn14th.sort());
    expect(await inconsistencies(run, '2023-06-15')).toEqual([]);
  });
});
