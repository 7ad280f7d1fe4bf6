import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/domain/config.js';
import { checkCalendar } from '../../../shared/steps/check-calendar.js';
import { pipeline } from '../../../shared/steps/pipeline.js';
import { finishRun } from '../../../shared/steps/run-record.js';
import type { StepDeps } from '../../../shared/steps/types.js';
import { generateMarket } from '../../support/market-generator.js';
import { stepConfig, wire } from '../../support/step-wiring.js';

const history = generateMarket({ symbols: 12, days: 340, seed: 5 });
const [d0, d1] = history.dates.slice(320) as [string, string];

/** One attempt of a date's run under `deps`, failed after `failAfter` when given. */
async function attempt(deps: StepDeps, date: string, runId: string, failAfter?: string) {
  let state = await checkCalendar(deps)({ tradingDate: date, runId });
  for (const step of pipeline(deps)) {
    state = await step.run(state);
    if (step.name === failAfter) {
      await finishRun(deps.store, date, runId, {
        status: 'failed',
        error: 'test',
        now: deps.clock.now(),
      });
      return;
    }
  }
}

/** A bot whose run of d1 failed after fetch-data, the day before having run through. */
async function fetchedThenFailed(): Promise<StepDeps> {
  const { deps, clock } = wire(history);
  clock.setTradingDate(d0);
  await attempt(deps, d0, 'a');
  clock.setTradingDate(d1);
  await attempt(deps, d1, 'b', 'fetch-data');
  return deps;
}

describe('a resume under another config', () => {
  it('is refused when the config means other features than the day was fetched under', async () => {
    const deps = await fetchedThenFailed();

    const rsi5 = parseConfig({
      strategies: { enabled: stepConfig.strategies.enabled, 'rsi-mean-reversion': { period: 5 } },
    });
    await expect(attempt({ ...deps, config: rsi5 }, d1, 'c')).rejects.toThrow(
      new RegExp(`the features of ${d1} was built under another config \\(.*rsi.*\\): rebuild`),
    );
  });

  it('goes on when only what the strategies decide with changed (a threshold)', async () => {
    const deps = await fetchedThenFailed();

    const oversold25 = parseConfig({
      strategies: {
        enabled: stepConfig.strategies.enabled,
        'rsi-mean-reversion': { oversold: 25 },
      },
    });
    await expect(attempt({ ...deps, config: oversold25 }, d1, 'c')).resolves.toBeUndefined();
  });
});
