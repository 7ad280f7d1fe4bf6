import { emailSettings } from '#shared/domain/config.js';
import { eventHandler, parseEvent } from '#shared/runtime/handler.js';
import { mailer } from '#shared/runtime/mailer.js';
import { market } from '#shared/runtime/market.js';
import { logger } from '#shared/runtime/powertools.js';
import { AlarmEventSchema, alarmsOf } from '#shared/steps/alarm-event.js';
import { type BreakerOutcome, haltOnAlarm } from '#shared/steps/breaker.js';

const USES = { market, mailer };
// The store and the mailer without the market: the halt is written even when the venue cannot be
// built (a missing secret, Alpaca unreachable), before the broker is asked to cancel anything
const ALERT = { mailer };

/** The circuit breaker's Lambda: halts trading on the daily-loss alarm's SNS notification. */
export const handler = eventHandler(USES, async (event, wired) => {
  const alarms = alarmsOf(parseEvent(AlarmEventSchema, event, 'alarm notification'));
  const wiring = await wired();
  const { store, mailer: alert } = await wiring.depsFor(ALERT, 'halt');
  const outcomes: BreakerOutcome[] = [];
  for (const alarm of alarms) {
    logger.appendKeys({ alarm: alarm.AlarmName, step: 'halt' });
    const outcome = await haltOnAlarm(alarm, {
      store,
      broker: async () => (await wiring.depsFor(USES, 'halt')).broker,
      mailer: alert,
      email: emailSettings(wiring.config),
    });
    logger.info('halt done', { outcome });
    outcomes.push(outcome);
  }
  return outcomes;
});
