import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Chain,
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  type IChainable,
  JsonPath,
  type LogOptions,
  QueryLanguage,
  type RetryProps,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Duration } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { TRANSIENT_ERRORS } from '../../shared/domain/errors.js';
import { STEP_NAMES, type WorkflowFunction } from './workflow-functions.js';

// Lambda service errors worth another try: CDK's LambdaInvoke defaults plus throttling
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

// A function that timed out or crashed (out of memory): Lambda names it one or the other. The step
// stopped somewhere in the middle, say between cancelling a lot's stop and sending its exit, and
// only another attempt finishes it: a failure report would leave the lot bare until a person
// restarts the date, and the next day's run refuses to start past an unfinished one
const FUNCTION_DIED = ['Sandbox.Timedout', 'Lambda.Unknown'] as const;

// Every task's one retrier: each step re-reads its inputs and looks orders up before sending them,
// so another attempt does what the last did not, and nothing twice
const TASK_RETRY = {
  errors: [...TRANSIENT_ERRORS, ...LAMBDA_SERVICE_ERRORS, ...FUNCTION_DIED],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 3, // Retries after the first attempt
} satisfies RetryProps;

/** Props of the daily run's state machine. */
export interface TradingWorkflowProps {
  readonly functions: Record<WorkflowFunction, IFunction>;
  /** @default 30 minutes */
  readonly timeout?: Duration;
  readonly logs?: LogOptions;
  /** X-Ray tracing of the executions. @default true */
  readonly tracingEnabled?: boolean;
}

/** The daily run: check the calendar, then the pipeline's steps in order, or a failure report. */
export class TradingWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: TradingWorkflowProps) {
    super(scope, id);
    const { functions } = props;

    const invoke = (name: string, fn: IFunction, payload?: TaskInput) =>
      new LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payload, // Without one the task passes the whole state and its result becomes the state
        payloadResponseOnly: true,
        retryOnServiceExceptions: false, // TASK_RETRY lists them, so the list is exactly ours
      }).addRetry(TASK_RETRY);

    const runFailed = new Fail(this, 'run-failed', {
      error: 'DailyRunFailed',
      cause: 'a step failed after its retries: its error is in the failure report and the history',
    });
    // A report that cannot be sent must not hide the failure it was reporting
    // The state as it was when a step failed (the raw input, if check-calendar did) and the
    // execution's id, which names the run even when it failed before claiming its date
    const reportFailure = invoke(
      'report-failure-task',
      functions.report,
      TaskInput.fromObject({ failed: JsonPath.entirePayload, executionId: JsonPath.executionId }),
    )
      .addCatch(runFailed, { resultPath: '$.reportError' })
      .next(runFailed);
    const task = (name: string, fn: IFunction) =>
      invoke(name, fn).addCatch(reportFailure, { resultPath: '$.error' });

    // The run record refuses a second run of a trading date: nothing traded, so nothing to report
    const checkCalendar = invoke(
      'check-calendar-task',
      functions['check-calendar'],
      // The schedule sends `scheduledTime` and a manual start `tradingDate`: the handler decides
      TaskInput.fromObject({ input: JsonPath.entirePayload, executionId: JsonPath.executionId }),
    )
      .addCatch(
        new Fail(this, 'already-ran', {
          error: 'RunAlreadyCompletedError',
          cause: 'this trading date already ran to completion: nothing was sent',
        }),
        { errors: ['RunAlreadyCompletedError'] },
      )
      .addCatch(
        new Fail(this, 'run-in-progress', {
          error: 'RunInProgressError',
          cause: 'another execution holds this trading date: nothing was sent',
        }),
        { errors: ['RunInProgressError'] },
      )
      .addCatch(reportFailure, { resultPath: '$.error' });

    // Built from the end so that each step's task can point at the one after it
    const trading = STEP_NAMES.reduceRight<IChainable>(
      (next, step) => task(`${step}-task`, functions[step]).next(next),
      new Succeed(this, 'done'),
    );
    const marketClosed = task('report-market-closed-task', functions.report).next(
      new Succeed(this, 'market-closed'),
    );

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(
        Chain.start(checkCalendar).next(
          new Choice(this, 'market-open?')
            .when(Condition.booleanEquals('$.marketOpen', false), marketClosed)
            .otherwise(trading),
        ),
      ),
      timeout: props.timeout ?? Duration.minutes(30),
      tracingEnabled: props.tracingEnabled ?? true,
      logs: props.logs,
    });
  }
}
