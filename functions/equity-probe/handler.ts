import { calendar } from '#shared/runtime/calendar.js';
import { eventHandler, parseEvent } from '#shared/runtime/handler.js';
import { market } from '#shared/runtime/market.js';
import { logger, publishEquityReading } from '#shared/runtime/powertools.js';
import { ProbeEventSchema, probeEquity } from '#shared/steps/equity-probe.js';

// The calendar is Alpaca's on BROKER=alpaca: an unscheduled closure is no session to read either
const USES = { market, calendar };

/**
 * The circuit breaker's intraday reading, every few minutes of the session: the live equity and
 * the day's return so far, under the metric, namespace and service the daily-loss alarm watches.
 */
export const handler = eventHandler(USES, async (event, wired) => {
  const { scheduledTime } = parseEvent(ProbeEventSchema, event, 'equity probe event');
  logger.appendKeys({ step: 'equity-probe', scheduledTime });
  const wiring = await wired();
  const probe = await probeEquity(await wiring.depsFor(USES, 'equity-probe'));
  if (!probe.read) {
    logger.info('nothing published', { reason: probe.reason });
    return probe;
  }
  publishEquityReading(probe);
  const { equity, previousClose, dailyReturn } = probe;
  if (previousClose === null) {
    logger.warn('equity published without a return: no close before to compare with', { equity });
  } else {
    logger.info(`equity against the previous close from the ${previousClose.source}`, {
      equity,
      previousClose,
      dailyReturn,
    });
  }
  return probe;
});
