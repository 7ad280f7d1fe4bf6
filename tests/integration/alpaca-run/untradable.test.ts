import { afterEach, describe, expect, it } from 'vitest';
import { firstError } from '../../../scripts/local/workflow.js';
import { SHIPPED_UNIVERSE } from '../../../shared/domain/config.js';
import { runKey } from '../../../shared/ports/index.js';
import { DecisionsArtifactSchema } from '../../../shared/steps/documents.js';
import { type AlpacaRun, closed, inconsistencies, openAlpacaRun, posts } from './support.js';

/**
 * A symbol Alpaca lists inactive or not tradable, through the whole workflow: fetch-data asks the
 * assets API each run, the risk check refuses its entries, the report names it, and the lots
 * already held keep their stops.
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
    // Act
    const outcome = await run.workflow.run('2023-06-15');
    // Assess
    expect(firstError(outcome)).toBeUndefined();
    const { day, report, portfolio } = await closed(run.workflow, '2023-06-15');
    expect(day.untradable).toHaveLength(SHIPPED_UNIVERSE.length);
    expect(day.untradable).toContainEqual({ symbol: 'MSFT', reason: 'Alpaca lists it inactive' });
    expect(report.alerts).toContain(
      'AAPL: Alpaca lists it not tradable, so no new entry; its exits and stop still run',
    );
    const decisions =
      (await run.workflow.store.get(runKey('2023-06-15', 'decisions'), DecisionsArtifactSchema))
        ?.value.decisions ?? [];
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.every((d) => !d.approved && d.reason === 'NOT_TRADABLE')).toBe(true);
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
