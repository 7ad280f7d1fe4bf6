import { MergeRequestSchema, mergeBacktest } from '#shared/research/backtest-merge.js';
import { eventHandler, parseEvent } from '#shared/runtime/handler.js';
import { mailer } from '#shared/runtime/mailer.js';
import { objectLinks } from '#shared/runtime/object-links.js';
import { objects } from '#shared/runtime/objects.js';
import { logger } from '#shared/runtime/powertools.js';

// The objects part is the state bucket under STATE_PREFIX (backtests/)
const USES = { objects, mailer };

/** The backtest state machine's merge: results.csv, summary and tearsheet to S3, then an email. */
export const handler = eventHandler(USES, async (event, wired) => {
  const request = parseEvent(MergeRequestSchema, event, 'merge request');
  logger.appendKeys({ step: 'backtest-merge', runPrefix: request.runPrefix });
  const wiring = await wired();
  const [store, links, mail] = await Promise.all([
    wiring.use(USES.objects),
    wiring.use(objectLinks),
    wiring.use(USES.mailer),
  ]);
  const outcome = await mergeBacktest(request, {
    store,
    links,
    mailer: mail,
    now: wiring.clock.now(),
  });
  logger.info('backtest merged', { outcome });
  return outcome;
});
