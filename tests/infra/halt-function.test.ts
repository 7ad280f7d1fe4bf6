import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, synthTradingBot } from './trading-bot-fixture.js';

type Statement = { Action: string | string[]; Resource: unknown };

let data: Template;
let trading: Template;
let haltId: string;
let breakerTopic: string;
beforeAll(() => {
  ({ data, trading } = synthTradingBot());
  const functions = resourcesOf(trading, 'AWS::Lambda::Function');
  haltId = Object.keys(functions).find((id) => id.startsWith('halt'))!;
  breakerTopic = Object.keys(resourcesOf(trading, 'AWS::SNS::Topic')).find((id) =>
    id.includes('Breaker'),
  )!;
});

const lambdaSubscriptions = () =>
  Object.values(resourcesOf(trading, 'AWS::SNS::Subscription')).filter(
    ({ Properties }) => Properties.Protocol === 'lambda',
  );

const haltStatements = () =>
  Object.entries(resourcesOf(trading, 'AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith('haltrole'))
    .flatMap(([, { Properties }]) => Properties.PolicyDocument.Statement as Statement[]);

const actions = (statements: Statement[]) =>
  statements.flatMap(({ Action }) => (Array.isArray(Action) ? Action : [Action])).sort();

describe('the halt function', () => {
  it('is a Node 22 arm64 function of its own, with a log group that expires', () => {
    expect(haltId).toBeDefined();
    const { Properties } = resourcesOf(trading, 'AWS::Lambda::Function')[haltId]!;
    expect(Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 300,
    });
    const group = resourcesOf(trading, 'AWS::Logs::LogGroup')[
      Properties.LoggingConfig.LogGroup.Ref
    ];
    expect(group?.Properties.RetentionInDays).toBe(30);
  });

  it('is subscribed to the breaker topic, and is the only function subscribed to any topic', () => {
    const subscriptions = lambdaSubscriptions();
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]?.Properties).toMatchObject({
      TopicArn: { Ref: breakerTopic },
      Endpoint: { 'Fn::GetAtt': [haltId, 'Arn'] },
    });
  });

  it('may be invoked by SNS from the breaker topic only', () => {
    const permissions = Object.values(resourcesOf(trading, 'AWS::Lambda::Permission')).filter(
      ({ Properties }) => Properties.Principal === 'sns.amazonaws.com',
    );
    expect(permissions.map(({ Properties }) => Properties)).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [haltId, 'Arn'] },
        SourceArn: { Ref: breakerTopic },
      }),
    ]);
  });

  it('retries a failed halt twice and drops alarms older than an hour', () => {
    trading.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: haltId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  it('gets the table, the config, the Alpaca secret and SES, and not the bucket', () => {
    const granted = actions(haltStatements());
    expect(granted.filter((action) => action.startsWith('s3:'))).toEqual([]);
    expect(granted).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'secretsmanager:GetSecretValue',
        'ses:SendRawEmail',
      ]),
    );
    expect(granted.some((action) => action.startsWith('ssm:'))).toBe(true);
  });
});

describe('the stacks’ outputs', () => {
  it('name the table and the secret the CLI and the README use, and the state machine', () => {
    const dataOutputs = Object.keys(data.findOutputs('*'));
    expect(dataOutputs).toEqual(expect.arrayContaining(['StateTableName', 'AlpacaSecretArn']));
    expect(Object.keys(trading.findOutputs('*'))).toContain('StateMachineArn');
  });
});
