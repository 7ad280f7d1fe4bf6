import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  type CfnAlarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/runtime/metric-names.js';

/** Props of the run's alarms. */
export interface RunAlarmsProps {
  readonly stateMachine: IStateMachine;
  /** The breaker trips at or below this daily return, percent (negative) */
  readonly dailyLossPercent: number;
  /** Minutes between the equity probe's readings in the session; 0: no probe, the report's only */
  readonly probeMinutes: number;
  /** Subscribed to both topics when given */
  readonly alertEmail?: string;
}

// Powertools adds the service as a dimension of every metric: an alarm must name it to match
const runMetric = (metricName: string, statistic: string, period: Duration) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
  });

/**
 * The circuit breaker's alarm and the run's health alarms: four alarm metrics of the ten that are
 * always free, six with the halt's and the probe's failures (`alertOnFailures`). Two topics, so
 * that the halt function (the trading stack subscribes it to the breaker topic) is never
 * triggered by an operational alarm.
 */
export class RunAlarms extends Construct {
  /** Daily loss: the halt function subscribes here */
  readonly breakerTopic: Topic;
  /** The workflow failed, timed out, or did not succeed on a weekday */
  readonly alertTopic: Topic;
  readonly dailyLoss: Alarm;
  readonly workflowFailed: Alarm;
  readonly noSuccessfulRun: Alarm;

  constructor(scope: Construct, id: string, props: RunAlarmsProps) {
    super(scope, id);
    this.breakerTopic = this.topic('BreakerTopic', 'Trading bot: circuit breaker', props);
    this.alertTopic = this.topic('AlertTopic', 'Trading bot: run alerts', props);

    // Readings come from the report once after the close and from the equity probe every
    // probeMinutes in the session. Minimum over 5 minutes: any one reading at or below the limit
    // trips it. With one period alone the alarm would fall back to OK in the empty periods between
    // two probe readings and trip again on the next, a halt notification and an email each time:
    // one breaching period in a window of two probe intervals keeps a lasting loss in ALARM from
    // reading to reading, so it trips once. Without the probe the window is one period, as before
    const breakerPeriods = Math.max(1, Math.ceil((2 * props.probeMinutes) / 5));
    this.dailyLoss = new Alarm(this, 'DailyLoss', {
      alarmDescription: `The day's return is at or below ${props.dailyLossPercent} %: halt entries`,
      metric: runMetric(METRIC.dailyReturnPercent, Stats.MINIMUM, Duration.minutes(5)),
      threshold: props.dailyLossPercent,
      comparisonOperator: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: breakerPeriods,
      datapointsToAlarm: 1,
      // Between readings there are none: silence is not a loss
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const period = Duration.minutes(5);
    this.workflowFailed = new Alarm(this, 'WorkflowFailed', {
      alarmDescription:
        'An execution of the daily run failed or timed out (a refused second start of a date counts too)',
      metric: new MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
        usingMetrics: {
          failed: props.stateMachine.metricFailed({ period, statistic: Stats.SUM }),
          timedOut: props.stateMachine.metricTimedOut({ period, statistic: Stats.SUM }),
        },
        period,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // One New York calendar day a period, evaluated once the day is over, so after the run window.
    // A day without RunSucceeded has no datapoint, and an expression over none has none either, so
    // FILL gives each day a 0 first: without it DAY() had no weekend datapoint to score 1, and the
    // missing one counted as breaching. A weekday without a success alarms, a weekend scores 1
    // (not yet watched over a weekend in an account; a day FILL left empty would still breach, as
    // before). Exchange holidays are weekdays without a run's success: they alarm too, until the
    // market-closed run publishes a metric of its own to add here
    const runs = runMetric(METRIC.runSucceeded, Stats.SUM, Duration.days(1));
    this.noSuccessfulRun = new Alarm(this, 'NoSuccessfulRun', {
      alarmDescription: 'No daily run succeeded on a weekday (New York time)',
      // DAY() is the weekday (1 Monday … 7 Sunday) of each period's start, New York midnight
      metric: new MathExpression({
        expression: 'IF(DAY(FILL(runs, 0)) >= 6, 1, FILL(runs, 0))',
        usingMetrics: { runs },
        period: Duration.days(1),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.BREACHING,
    });
    // Whole New York days instead of a sliding 24 hours, which would alarm every morning
    (this.noSuccessfulRun.node.defaultChild as CfnAlarm).evaluationWindow = {
      wallClockWindow: { timezone: TimeZone.AMERICA_NEW_YORK.timezoneName },
    };

    this.dailyLoss.addAlarmAction(new SnsAction(this.breakerTopic));
    this.workflowFailed.addAlarmAction(new SnsAction(this.alertTopic));
    this.noSuccessfulRun.addAlarmAction(new SnsAction(this.alertTopic));
    this.allowAlarms(this.breakerTopic, [this.dailyLoss]);
    this.allowAlarms(this.alertTopic, [this.workflowFailed, this.noSuccessfulRun]);
  }

  private topic(id: string, displayName: string, props: RunAlarmsProps): Topic {
    const topic = new Topic(this, id, { displayName, enforceSSL: true });
    if (props.alertEmail) topic.addSubscription(new EmailSubscription(props.alertEmail));
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry only alarm names and metric values. CloudWatch cannot publish to ' +
        'a topic under the AWS-managed SNS key, and a customer-managed key costs $1 a month, half ' +
        'the bot’s budget',
    });
    return topic;
  }

  /**
   * Alerts when a function fails in `periods` consecutive periods (default one of 5 minutes): the
   * breaker's own parts, the halt and the probe, whose failures nothing else reports. Lambda's
   * Errors metric counts every failed invocation, the retried ones included.
   */
  alertOnFailures(
    id: string,
    fn: IFunction,
    description: string,
    { period = Duration.minutes(5), periods = 1 }: { period?: Duration; periods?: number } = {},
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric: fn.metricErrors({ period, statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      // No invocation, no failure: the probe is idle outside the session, the halt most days
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alertTopic));
    this.allowAlarms(this.alertTopic, [alarm]);
    return alarm;
  }

  // The SSL-only topic policy replaces SNS's default one, so CloudWatch needs its own allow
  private allowAlarms(topic: Topic, alarms: readonly Alarm[]): void {
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnEquals: { 'aws:SourceArn': alarms.map((alarm) => alarm.alarmArn) },
        },
      }),
    );
  }
}
