import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';

/** Props of the equity probe's schedule. */
export interface EquityProbeScheduleProps {
  readonly probe: IFunction;
  /** Minutes between readings, a divisor of 60 (settings.ts checks it) */
  readonly everyMinutes: number;
}

/**
 * Runs the equity probe every few minutes from 09:00 to 15:59 New York time on weekdays. The ticks
 * before the 09:30 open, on holidays and after an early close find no session and publish nothing
 * (the probe asks the calendar): a cron cannot know those, and a skipped tick is one short
 * invocation. None runs at 16:00 or after, when the report's own reading follows the close.
 */
export class EquityProbeSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, { probe, everyMinutes }: EquityProbeScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // The role CDK would make, made here so that its one finding is acknowledged beside it: only
    // this account's schedules (the default group) may assume it
    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
    });
    const probeId = stack.getLogicalId(probe.node.defaultChild as CfnFunction);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${probeId}.Arn>:*]`,
      reason:
        'LambdaInvoke’s grant on the probe’s versions and aliases (ARN:qualifier): one named function',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Reads the trading bot’s live equity every ${everyMinutes} minutes of the New York session`,
      // In New York time, so the window stays on the session across daylight saving
      schedule: ScheduleExpression.cron({
        minute: everyMinutes === 60 ? '0' : `0/${everyMinutes}`,
        hour: '9-15',
        weekDay: 'MON-FRI',
        timeZone: TimeZone.AMERICA_NEW_YORK,
      }),
      target: new LambdaInvoke(probe, {
        role,
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        // A reading is worth its moment only: the next tick is the retry, not a late delivery
        maxEventAge: Duration.minutes(1),
        retryAttempts: 0,
      }),
    });
  }
}
