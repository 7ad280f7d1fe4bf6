import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { TradingWorkflow } from '../../infra/constructs/trading-workflow.js';
import { STEP_NAMES, WORKFLOW_FUNCTIONS } from '../../infra/constructs/workflow-functions.js';
import { definitionFromTemplate, localWorkflowDefinition } from '../../infra/local-definition.js';
import { TRANSIENT_ERRORS } from '../../shared/domain/errors.js';
import { aslValidator } from './trading-bot-fixture.js';

type TaskState = {
  Type: string;
  Retry?: unknown[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
};

// Real functions, so the definition holds the GetAtt tokens a deployed stack has
const app = new App({
  builtinCloudFormationValidation: false, // Seconds per synth, and it does not read the ASL
  context: { 'aws:cdk:bundling-stacks': [] },
});
const stack = new Stack(app, 'Test');
const functions = Object.fromEntries(
  WORKFLOW_FUNCTIONS.map((name) => [
    name,
    new LambdaFunction(stack, name, {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async (state) => state;'),
    }),
  ]),
) as Record<(typeof WORKFLOW_FUNCTIONS)[number], LambdaFunction>;
new TradingWorkflow(stack, 'Workflow', { functions });
const template = Template.fromStack(stack);
const definition = definitionFromTemplate(template.toJSON());
const states = definition.States as Record<string, TaskState>;
const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');

describe('TradingWorkflow', () => {
  it('is a traced Standard state machine that times out after 30 minutes', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
    });
    expect(definition.TimeoutSeconds).toBe(30 * 60);
  });

  it('has a definition that asl-validator accepts', () => {
    const result = aslValidator(definition, { checkArn: true, checkPaths: true });

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only', () => {
    expect(definition).toMatchObject({ QueryLanguage: 'JSONPath' });
    expect(JSON.stringify(definition)).not.toMatch(/JSONata|\{%/);
  });

  it('retries every task on the transient errors and a function that died, 2 s apart, doubling, 3 times', () => {
    expect(tasks).toHaveLength(12);
    for (const [, state] of tasks) {
      expect(state.Retry).toEqual([
        {
          ErrorEquals: [
            ...TRANSIENT_ERRORS,
            'Lambda.ClientExecutionTimeoutException',
            'Lambda.ServiceException',
            'Lambda.AWSLambdaException',
            'Lambda.SdkClientException',
            'Lambda.TooManyRequestsException',
            'Sandbox.Timedout',
            'Lambda.Unknown',
          ],
          IntervalSeconds: 2,
          BackoffRate: 2,
          MaxAttempts: 3,
        },
      ]);
    }
  });

  it('sends any other failure of a task, with the error in $.error, to the failure report', () => {
    for (const [name, state] of tasks.filter(([name]) => name !== 'report-failure-task')) {
      expect(state.Catch?.at(-1), name).toEqual({
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.error',
        Next: 'report-failure-task',
      });
    }
    expect(states['report-failure-task']).toMatchObject({
      Next: 'run-failed',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'run-failed' }],
    });
    expect(states['run-failed']).toEqual(
      expect.objectContaining({ Type: 'Fail', Error: 'DailyRunFailed' }),
    );
  });

  it('ends a refused run before its catch-all can report it', () => {
    const catches = states['check-calendar-task']?.Catch?.map(({ ErrorEquals, Next }) => ({
      ErrorEquals,
      Next,
    }));

    expect(catches).toEqual([
      { ErrorEquals: ['RunAlreadyCompletedError'], Next: 'already-ran' },
      { ErrorEquals: ['RunInProgressError'], Next: 'run-in-progress' },
      { ErrorEquals: ['States.ALL'], Next: 'report-failure-task' },
    ]);
    expect(states['already-ran']).toMatchObject({
      Type: 'Fail',
      Error: 'RunAlreadyCompletedError',
    });
    expect(states['run-in-progress']).toMatchObject({ Type: 'Fail', Error: 'RunInProgressError' });
  });
});

describe('localWorkflowDefinition', () => {
  it('names the function each task state invokes', () => {
    const { tasks, taskStates } = localWorkflowDefinition();

    expect(tasks).toEqual({
      'check-calendar-task': 'check-calendar',
      ...Object.fromEntries(STEP_NAMES.map((step) => [`${step}-task`, step])),
      'report-market-closed-task': 'report',
      'report-failure-task': 'report',
    });
    expect(taskStates).toEqual(Object.keys(tasks));
  });
});
