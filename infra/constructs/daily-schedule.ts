import { Duration, TimeZone } from 'aws-cdk-lib';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Props of the daily schedule. */
export interface DailyScheduleProps {
  readonly stateMachine: IStateMachine;
  /** New York wall-clock time of the run, on weekdays */
  readonly hour: number;
  readonly minute: number;
}

/**
 * Starts the daily run on weekdays at a New York time; holidays start it too, and check-calendar
 * takes the market-closed branch. The input is the invocation's scheduled time, from which
 * check-calendar derives the trading date as that instant's New York date (shared/steps/start-event.ts).
 */
export class DailySchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: DailyScheduleProps) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Starts the trading bot’s daily run after the New York close',
      // In New York time, so the run keeps its place after the close across daylight saving
      schedule: ScheduleExpression.cron({
        minute: String(props.minute),
        hour: String(props.hour),
        weekDay: 'MON-FRI',
        timeZone: TimeZone.AMERICA_NEW_YORK,
      }),
      target: new StepFunctionsStartExecution(props.stateMachine, {
        // The scheduled time, not the delivery time: a retried start still names the same date
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        // A start held up for more than an hour is better missed (and alarmed on) than run late
        // into the evening; the run record makes a duplicate start harmless
        maxEventAge: Duration.hours(1),
        retryAttempts: 10,
      }),
    });
  }
}
