import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  type MergeOutcome,
  MergeRequestSchema,
  mergeBacktest,
} from '#shared/research/backtest-merge.js';
import { parseEvent, wired } from '#shared/runtime/handler.js';
import { mailer } from '#shared/runtime/mailer.js';
import { objectLinks } from '#shared/runtime/object-links.js';
import { objects } from '#shared/runtime/objects.js';
import { logger } from '#shared/runtime/powertools.js';

// Not a workflow step: it merges a backtest's shards, so it has its own thin handler over the same
// logger and wiring; the objects part is the state bucket under STATE_PREFIX (backtests/)
const USES = { objects, mailer };

/** The backtest state machine's merge: results.csv, summary and tearsheet to S3, then an email. */
export const handler = Object.assign(
  middy<unknown, MergeOutcome, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
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
    }),
  {
    /** The parts of the wiring this handler names (the infrastructure grants by them) */
    uses: USES,
  },
);
