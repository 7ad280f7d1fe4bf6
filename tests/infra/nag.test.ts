import { Stack, Validations } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { StateStorage } from '../../infra/constructs/state-storage.js';
import { addTradingBot } from '../../infra/stacks/trading-bot.js';
import { TEST_SETTINGS, testApp } from './trading-bot-fixture.js';

describe('cdk-nag AwsSolutionsChecks', () => {
  it.each([
    { tracing: true, alertEmail: TEST_SETTINGS.alertEmail },
    { tracing: false, alertEmail: undefined },
  ])('leaves no finding unacknowledged (tracing $tracing)', ({ tracing, alertEmail }) => {
    const app = testApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const { alertEmail: _, ...settings } = TEST_SETTINGS;
    addTradingBot(app, { ...settings, tracing, ...(alertEmail && { alertEmail }) });

    // The plugin's report fails the synth, naming each finding
    expect(() => app.synth()).not.toThrow();
  });
});

describe('StateStorage grants', () => {
  it('acknowledge their object-level wildcard when the function is in the same stack', () => {
    const app = testApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Local');
    const storage = new StateStorage(stack, 'State');
    const fn = new LambdaFunction(stack, 'Fn', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {};'),
    });
    storage.grantDocuments(fn);
    storage.grantSnapshots(fn);
    // Only the storage's own finding is under test: the test function's are acknowledged here
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'a test function',
    });
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: 'a test function' });

    expect(() => app.synth()).not.toThrow();
  });
});
