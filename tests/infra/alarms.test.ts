import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { addTradingBot } from '../../infra/stacks/trading-bot.js';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/runtime/metric-names.js';
import { resourcesOf, synthTradingBot, TEST_SETTINGS, testApp } from './trading-bot-fixture.js';

let trading: Template;
let alarms: ReturnType<typeof resourcesOf>;
let topics: { breaker: string; alert: string };
beforeAll(() => {
  ({ trading } = synthTradingBot({ dailyLossPercent: -3 }));
  alarms = resourcesOf(trading, 'AWS::CloudWatch::Alarm');
  const ids = Object.keys(resourcesOf(trading, 'AWS::SNS::Topic'));
  topics = {
    breaker: ids.find((id) => id.includes('Breaker'))!,
    alert: ids.find((id) => id.includes('Alert'))!,
  };
});

const alarmNamed = (part: string) =>
  Object.values(alarms).find(({ Properties }) => JSON.stringify(Properties).includes(part))
    ?.Properties;
const dimensions = [{ Name: 'service', Value: SERVICE_NAME }];

describe('RunAlarms', () => {
  it('trips the breaker topic when the day’s return is at or below the configured loss', () => {
    expect(alarmNamed(METRIC.dailyReturnPercent)).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC.dailyReturnPercent,
      Dimensions: dimensions,
      Statistic: 'Minimum',
      Threshold: -3,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topics.breaker }],
    });
  });

  it.each([
    // Two 15-minute probe intervals: a lasting loss stays in ALARM from one reading to the next
    { probe: 15, periods: 6 },
    { probe: 1, periods: 1 },
    // The report's one reading a day: the period it lands in
    { probe: 0, periods: 1 },
  ])(
    'trips on one breaching 5-minute period of $periods (probe every $probe min)',
    ({ probe, periods }) => {
      const { trading: template } = synthTradingBot({ equityProbeMinutes: probe });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: METRIC.dailyReturnPercent,
        Period: 300,
        EvaluationPeriods: periods,
        DatapointsToAlarm: 1,
      });
    },
  );

  it('alerts when an execution fails or times out', () => {
    const alarm = alarmNamed('ExecutionsFailed');
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topics.alert }],
    });
    expect(JSON.stringify(alarm?.Metrics)).toContain('ExecutionsTimedOut');
  });

  it('alerts on a New York weekday that ends without a successful run', () => {
    expect(alarmNamed(METRIC.runSucceeded)).toMatchObject({
      EvaluationWindow: { WallClockWindow: { Timezone: 'America/New_York' } },
      TreatMissingData: 'breaching',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [{ Ref: topics.alert }],
      // toMatchObject: each metric partially, so ReturnData and the ids CDK adds may stay unnamed
      Metrics: [
        { Expression: 'IF(DAY(FILL(runs, 0)) >= 6, 1, FILL(runs, 0))', ReturnData: true },
        {
          Id: 'runs',
          MetricStat: {
            Metric: {
              Namespace: METRICS_NAMESPACE,
              MetricName: METRIC.runSucceeded,
              Dimensions: dimensions,
            },
            Period: 86_400,
            Stat: 'Sum',
          },
        },
      ],
    });
  });

  it('stays within the ten alarm metrics that are always free', () => {
    const metricCount = Object.values(alarms).reduce(
      (sum, { Properties }) =>
        sum +
        (Properties.MetricName
          ? 1
          : Properties.Metrics.filter((m: object) => 'MetricStat' in m).length),
      0,
    );
    expect(metricCount).toBe(6);
  });

  it.each([
    { fn: 'halt', periods: 1, seconds: 300 },
    // Two 15-minute ticks in a row: one failed reading is made up by the next
    { fn: 'equityprobe', periods: 2, seconds: 900 },
  ])("alerts when the $fn function fails: the breaker's own parts", ({ fn, periods, seconds }) => {
    const functionId = Object.keys(resourcesOf(trading, 'AWS::Lambda::Function')).find((id) =>
      id.toLowerCase().startsWith(fn),
    )!;
    const watching = Object.values(alarms).filter(
      ({ Properties }) =>
        Properties.MetricName === 'Errors' &&
        JSON.stringify(Properties.Dimensions) ===
          JSON.stringify([{ Name: 'FunctionName', Value: { Ref: functionId } }]),
    );
    expect(watching.map(({ Properties }) => Properties)).toEqual([
      expect.objectContaining({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: seconds,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: periods,
        DatapointsToAlarm: periods,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topics.alert }],
      }),
    ]);
  });

  it('lets CloudWatch publish to the SSL-only topics for these alarms only', () => {
    for (const topic of Object.values(topics)) {
      trading.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topic }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Condition: Match.objectLike({ ArnEquals: Match.anyValue() }),
            }),
          ]),
        },
      });
    }
  });

  it('warns at synth when no alert address is given: the alerts would reach nobody', () => {
    // Prepare
    const { alertEmail: _, ...settings } = TEST_SETTINGS;
    const { trading: withoutAddress } = addTradingBot(testApp(), settings);
    // Act, Assess
    Annotations.fromStack(withoutAddress).hasWarning(
      '*',
      Match.stringLikeRegexp('No -c alertEmail: nothing subscribes to the alert topic'),
    );
    const { trading: withAddress } = addTradingBot(testApp(), TEST_SETTINGS);
    expect(
      Annotations.fromStack(withAddress).findWarning('*', Match.stringLikeRegexp('alertEmail')),
    ).toEqual([]);
  });

  it('mails both topics to the alert address', () => {
    const mails = Object.values(resourcesOf(trading, 'AWS::SNS::Subscription')).filter(
      ({ Properties }) => Properties.Protocol === 'email',
    );
    expect(mails.map(({ Properties }) => Properties.TopicArn.Ref).sort()).toEqual(
      [topics.alert, topics.breaker].sort(),
    );
    for (const { Properties } of mails) expect(Properties.Endpoint).toBe('owner@example.com');
  });
});
