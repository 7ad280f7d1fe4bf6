import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { StartEventSchema, tradingDateOf } from '../../shared/steps/start-event.js';
import { resourcesOf, synthTradingBot } from './trading-bot-fixture.js';

let trading: Template;
let target: { Arn: unknown; Input: string };
beforeAll(() => {
  // Not the default time, so the test sees the context reach the expression
  ({ trading } = synthTradingBot({ schedule: { hour: 17, minute: 5 } }));
  // The daily run's, not the equity probe's (tests/infra/equity-probe.test.ts)
  const [machine] = Object.keys(resourcesOf(trading, 'AWS::StepFunctions::StateMachine'));
  const schedule = Object.values(resourcesOf(trading, 'AWS::Scheduler::Schedule')).find(
    ({ Properties }) => Properties.Target.Arn.Ref === machine,
  );
  target = schedule!.Properties.Target;
});

// The Scheduler substitutes the invocation's scheduled time, in UTC, for the context attribute
const scheduledInput = (scheduledTime: string) =>
  JSON.parse(target.Input.replace('<aws.scheduler.scheduled-time>', scheduledTime));

describe('DailySchedule', () => {
  it('starts the state machine on weekdays at the configured New York time', () => {
    trading.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(5 17 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    const [machine] = Object.keys(resourcesOf(trading, 'AWS::StepFunctions::StateMachine'));
    expect(target.Arn).toEqual({ Ref: machine });
  });

  it('hands the workflow the scheduled time, not the time it was delivered', () => {
    expect(JSON.parse(target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
  });

  it.each([
    { scheduledTime: '2023-06-16T21:05:00Z', date: '2023-06-16' }, // EDT, UTC-4
    { scheduledTime: '2023-12-15T22:05:00Z', date: '2023-12-15' }, // EST, UTC-5
    // A run configured late in the evening is past midnight in UTC: the date is still New York's
    { scheduledTime: '2023-12-16T03:30:00Z', date: '2023-12-15' },
  ])('scheduled at $scheduledTime the run trades $date', ({ scheduledTime, date }) => {
    const event = StartEventSchema.parse({
      input: scheduledInput(scheduledTime),
      executionId: 'arn:aws:states:us-east-1:123456789012:execution:daily-run:test',
    });

    expect(tradingDateOf(event.input)).toBe(date);
  });

  it('gives up on a start delayed over an hour instead of trading late into the evening', () => {
    trading.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 } },
    });
  });
});
