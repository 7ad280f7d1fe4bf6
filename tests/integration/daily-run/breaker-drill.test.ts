import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resume } from '../../../scripts/bot/commands.js';
import type { LocalWorkflow, RunOutcome } from '../../../scripts/local/workflow.js';
import type { Order } from '../../../shared/ports/index.js';
import type { BreakerOutcome } from '../../../shared/steps/breaker.js';
import {
  DecisionsArtifactSchema,
  EmailLogSchema,
  TradingControlSchema,
} from '../../../shared/steps/documents.js';
import { freshWorkflow, lambdaContext, outboxFiles, wiredVenue } from './support.js';

// The breaker drill: the halt function gets the alarm's SNS notification (events/halt/), the next
// runs refuse entries and still exit, and resume restores ACTIVE. The shipped data's 2023-07-03
// is no -2 % day: the drill feeds the alarm's shape, as CloudWatch would deliver it after that
// day's report, to the handler the breaker topic invokes

type HaltHandler = (event: unknown, context: Context) => Promise<BreakerOutcome[]>;

const DAYS_BEFORE_THE_HALT = [
  ...['2023-06-15', '2023-06-16', '2023-06-20', '2023-06-21', '2023-06-22', '2023-06-23'],
  ...['2023-06-26', '2023-06-27', '2023-06-28', '2023-06-29', '2023-06-30', '2023-07-03'],
];

let workflow: LocalWorkflow;
let haltHandler: HaltHandler;
let alarmEvent: unknown;
const counts = (outcome: RunOutcome, state: string) =>
  outcome.steps.find((step) => step.state === state)?.output?.counts ?? {};
const runDays = async (dates: readonly string[]) => {
  const outcomes: RunOutcome[] = [];
  for (const date of dates) {
    const outcome = await workflow.run(date);
    expect(outcome.status, date).toBe('succeeded');
    outcomes.push(outcome);
  }
  return outcomes;
};
const ordersOf = async (intent: Order['intent']) =>
  (await wiredVenue()).allOrders().filter((order) => order.intent === intent);

beforeAll(async () => {
  workflow = await freshWorkflow();
  // Imported after the workflow set the environment, as a Lambda reads its own at cold start
  haltHandler = (await import('../../../functions/halt/handler.js')).handler;
  alarmEvent = JSON.parse(await readFile('events/halt/daily-loss-alarm.json', 'utf8'));
  // 2023-07-03 sends one entry and two exits: the halt has an entry to cancel and lots to keep
  await runDays(DAYS_BEFORE_THE_HALT);
});
afterAll(async () => {
  await workflow?.close();
});

describe('the breaker drill', () => {
  let halted: BreakerOutcome;

  it('halts on the alarm: HALTED with who, when and why, the open entry cancelled, one email', async () => {
    const stopsBefore = (await ordersOf('stop')).filter((stop) => stop.status === 'open');

    [halted] = (await haltHandler(alarmEvent, lambdaContext('halt'))) as [BreakerOutcome];

    const control = await workflow.store.get('control/trading-state', TradingControlSchema);
    expect(control?.value).toEqual({
      state: 'HALTED',
      by: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:TradingBot-AlarmsDailyLoss3F8E2A71-1JX0T8VQ2ZK4M',
      at: '2023-07-03T20:25:41.308Z',
      reason: expect.stringMatching(
        /^circuit breaker: DailyReturnPercent -2\.4137 against a threshold of -2 \(/,
      ),
    });
    expect(halted).toMatchObject({
      halted: true,
      write: { changed: true },
      cancellations: { asOf: '2023-07-03', entries: [{ outcome: 'canceled' }] },
    });
    const [entry] = (await ordersOf('entry')).filter((o) =>
      o.clientOrderId.startsWith('2023-07-03'),
    );
    expect(entry?.status).toBe('canceled');
    // The lots' protective stops are all still live, the pending exits untouched
    const stopsAfter = (await ordersOf('stop')).filter((stop) => stop.status === 'open');
    expect(stopsAfter.map((s) => s.clientOrderId)).toEqual(stopsBefore.map((s) => s.clientOrderId));
    expect((await ordersOf('exit')).filter((o) => o.status === 'open')).toHaveLength(2);
    expect(await outboxFiles(workflow)).toContain('2023-07-03-halt.eml');
    const eml = await readFile(`${workflow.outboxDir}/2023-07-03-halt.eml`, 'utf8');
    expect(eml).toMatch(/TRADING HALTED by the circuit breaker/);
  });

  it('changes nothing and sends nothing on a second delivery of the same notification', async () => {
    const control = await workflow.store.get('control/trading-state', TradingControlSchema);
    const venue = JSON.stringify((await wiredVenue()).allOrders());
    const emails = await outboxFiles(workflow);

    const [again] = await haltHandler(alarmEvent, lambdaContext('halt'));

    expect(again).toMatchObject({
      write: { changed: false },
      cancellations: { entries: [{ outcome: 'already canceled' }] },
    });
    expect(await workflow.store.get('control/trading-state', TradingControlSchema)).toEqual(
      control,
    );
    expect(JSON.stringify((await wiredVenue()).allOrders())).toBe(venue);
    expect(await outboxFiles(workflow)).toEqual(emails);
    const log = await workflow.store.get('run/2023-07-03/email', EmailLogSchema);
    expect(log?.value.sent.map((s) => s.kind)).toEqual(['daily', 'halt']);
  });

  it('refuses every entry while HALTED, and still exits', async () => {
    const outcomes = await runDays(['2023-07-05', '2023-07-06']);

    for (const outcome of outcomes) {
      expect(
        outcome.steps.find((s) => s.state === 'detect-regime-task')?.output?.tradingState,
      ).toBe('HALTED');
      expect(counts(outcome, 'check-risk-task').approved).toBe(0);
      expect(counts(outcome, 'execute-orders-task').entriesSent).toBe(0);
    }
    const decisions = await workflow.store.get('run/2023-07-05/decisions', DecisionsArtifactSchema);
    expect(decisions?.value.decisions.length).toBeGreaterThan(0);
    expect(new Set(decisions?.value.decisions.map((d) => d.reason))).toEqual(
      new Set(['TRADING_STATE']),
    );
    // The 3rd's two exits filled on the 5th, and the 6th decided an exit of its own and sent it
    expect(counts(outcomes[0]!, 'fetch-data-task').closedTrades).toBe(2);
    expect(counts(outcomes[1]!, 'monitor-exits-task').exitOrders).toBe(1);
  });

  it('trades again after resume, which records who and when', async () => {
    const lines = await resume(workflow.store, 'drill over', {
      by: 'drill',
      now: new Date('2023-07-07T13:00:00Z'),
    });

    expect(lines[0]).toMatch(
      /^ACTIVE from the next run: resumed by drill at 2023-07-07T13:00:00.000Z/,
    );
    const control = await workflow.store.get('control/trading-state', TradingControlSchema);
    expect(control?.value).toEqual({
      state: 'ACTIVE',
      by: 'drill',
      at: '2023-07-07T13:00:00.000Z',
      reason: 'drill over',
    });
    const [outcome] = await runDays(['2023-07-07']);
    expect(outcome!.steps.find((s) => s.state === 'detect-regime-task')?.output?.tradingState).toBe(
      'ACTIVE',
    );
    expect(counts(outcome!, 'execute-orders-task').entriesSent).toBeGreaterThan(0);
  });
});
