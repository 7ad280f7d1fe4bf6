import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProbeEventSchema } from '../../shared/steps/equity-probe.js';
import { resourcesOf, synthTradingBot } from './trading-bot-fixture.js';

type Statement = { Action: string | string[]; Resource: unknown };

let trading: Template;
let probeId: string;
beforeAll(() => {
  // Not the default spacing, so the test sees the context reach the expression
  ({ trading } = synthTradingBot({ equityProbeMinutes: 10 }));
  probeId = Object.keys(resourcesOf(trading, 'AWS::Lambda::Function')).find((id) =>
    id.startsWith('equityprobe'),
  )!;
});

const probeSchedules = (template: Template) =>
  Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule')).filter(({ Properties }) =>
    JSON.stringify(Properties.Target.Arn).includes('equityprobe'),
  );

const actionsOf = (template: Template, rolePrefix: string) =>
  Object.entries(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(([, { Properties }]) => Properties.PolicyDocument.Statement as Statement[])
    .flatMap(({ Action }) => (Array.isArray(Action) ? Action : [Action]))
    .sort();

describe('the equity probe', () => {
  it('runs every N minutes from 09:00 to 15:59 New York time on weekdays', () => {
    const [schedule] = probeSchedules(trading);
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0/10 9-15 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
  });

  it('invokes the probe with the tick’s scheduled time, once, and drops a late tick', () => {
    const [schedule] = probeSchedules(trading);
    const target = schedule!.Properties.Target;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [probeId, 'Arn'] });
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 });
    // The Scheduler substitutes the tick's time, in UTC, for the context attribute
    const input = JSON.parse(
      target.Input.replace('<aws.scheduler.scheduled-time>', '2023-06-15T17:00:00Z'),
    );
    expect(ProbeEventSchema.parse(input)).toEqual({ scheduledTime: '2023-06-15T17:00:00Z' });
    trading.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: probeId },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  it('is a Node 22 arm64 function that reads the secret and the table, and writes nothing', () => {
    const { Properties } = resourcesOf(trading, 'AWS::Lambda::Function')[probeId]!;
    expect(Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    const granted = actionsOf(trading, 'equityproberole');
    expect(granted.filter((action) => action.startsWith('dynamodb:'))).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    expect(granted).toContain('secretsmanager:GetSecretValue');
    // The wiring reads the trading config parameter at each cold start (the Alpaca mode)
    expect(granted.some((action) => action.startsWith('ssm:'))).toBe(true);
    expect(granted.filter((action) => /^(s3|ses|sns|states):/.test(action))).toEqual([]);
  });

  it('gives its schedule’s role the invocation of the probe and nothing else', () => {
    const [schedule] = probeSchedules(trading);
    const roleId = schedule!.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
    // CDK names the role's policy after the role, less the role's own hash
    const role = roleId.slice(0, -8);
    expect(actionsOf(trading, role)).toEqual(['lambda:InvokeFunction']);
    const [policy] = Object.entries(resourcesOf(trading, 'AWS::IAM::Policy')).filter(([id]) =>
      id.startsWith(role),
    );
    expect(JSON.stringify(policy![1].Properties.PolicyDocument)).toContain(probeId);
    // Assumed by the Scheduler for this account's schedules only
    const { AssumeRolePolicyDocument } = resourcesOf(trading, 'AWS::IAM::Role')[roleId]!.Properties;
    expect(AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: {
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:SourceArn': expect.anything(),
          },
        },
      }),
    ]);
  });

  it('with equityProbeMinutes 0 is off: no function, no schedule, only the daily run’s', () => {
    const { trading: off } = synthTradingBot({ equityProbeMinutes: 0 });
    const functions = Object.keys(resourcesOf(off, 'AWS::Lambda::Function'));
    expect(functions.filter((id) => id.startsWith('equityprobe'))).toEqual([]);
    expect(probeSchedules(off)).toEqual([]);
    off.resourceCountIs('AWS::Scheduler::Schedule', 1);
  });
});
