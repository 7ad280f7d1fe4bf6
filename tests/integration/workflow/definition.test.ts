import { type ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { STEP_NAMES } from '../../../infra/constructs/workflow-functions.js';
import { localWorkflowDefinition } from '../../../infra/local-definition.js';

type Json = Parameters<StateMachine['run']>[0];
type RunContext = NonNullable<Parameters<StateMachine['run']>[1]>['context'];
type State = Record<string, unknown>;
type Stub = (payload: State) => State | Promise<State>;

const { definition, taskStates } = localWorkflowDefinition();
// Built once: the constructor validates the definition (about a second) and runs are independent
const machine = new StateMachine(definition);
const EXECUTION_ID = 'arn:aws:states:us-east-1:123456789012:execution:daily-run:2024-03-05';
const STEP_TASKS = STEP_NAMES.map((step) => `${step}-task`);

const namedError = (name: string, message = `${name} from a stub`) =>
  Object.assign(new Error(message), { name });

// Every task is stubbed: one left out would call the real Lambda through the SDK
async function execute(input: State, stubs: Record<string, Stub> = {}, context?: RunContext) {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    taskStates.map((state) => [
      state,
      async (payload: Json) => {
        calls.push(state);
        const stub = stubs[state] ?? ((p: State) => ({ ...p, visited: [...visitedIn(p), state] }));
        return (await stub(payload as State)) as Json;
      },
    ]),
  );
  const execution = machine.run(input as Json, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      // The deployed 2 s, 4 s, 8 s backoff would only slow the suite down
      retryIntervalOverrides: Object.fromEntries(taskStates.map((state) => [state, 0])),
    },
    context: context ?? { Execution: { Id: EXECUTION_ID } },
  });
  // Handled before the events are read, so a failed run is never an unhandled rejection
  const outcome = execution.result.then(
    (output) => ({ output: output as State, error: undefined }),
    // The cause is the Fail state's (or the uncaught) error: its name is the ASL Error
    (error: ExecutionError) => ({ output: undefined, error: error.cause as Error }),
  );
  const entered: string[] = [];
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') entered.push(event.state.name);
  }
  return { calls, entered, ...(await outcome) };
}

const visitedIn = (state: State) => (state['visited'] as string[] | undefined) ?? [];
const calendar =
  (marketOpen: boolean): Stub =>
  (payload) => ({
    tradingDate: (payload['input'] as State)['tradingDate'],
    marketOpen,
    executionId: payload['executionId'],
    visited: ['check-calendar-task'],
  });

describe('the daily run, executed locally', () => {
  it('runs the calendar check and the nine steps in order, then succeeds', async () => {
    const { calls, entered, output, error } = await execute(
      { tradingDate: '2024-03-05' },
      { 'check-calendar-task': calendar(true) },
    );

    expect(error).toBeUndefined();
    expect(calls).toEqual(['check-calendar-task', ...STEP_TASKS]);
    expect(entered.at(-1)).toBe('done');
    // Each function's return value is the next one's whole input
    expect(output).toEqual({
      tradingDate: '2024-03-05',
      marketOpen: true,
      executionId: EXECUTION_ID,
      visited: ['check-calendar-task', ...STEP_TASKS],
    });
  });

  it('hands the check-calendar function the whole input and the execution id', async () => {
    const seen: State[] = [];
    const scheduled = { scheduledTime: '2024-03-05T21:15:00Z' };
    await execute(scheduled, {
      'check-calendar-task': (payload) => {
        seen.push(payload);
        return { marketOpen: false };
      },
    });

    expect(seen).toEqual([{ input: scheduled, executionId: EXECUTION_ID }]);
  });

  it('fails at once, with no report, when no context gives $$.Execution.Id', async () => {
    const { calls, error } = await execute({ tradingDate: '2024-03-05' }, {}, {});

    expect(calls).toEqual([]);
    expect(error?.name).toBe('States.Runtime');
  });

  it('only reports a closed market', async () => {
    const { calls, entered, error } = await execute(
      { tradingDate: '2024-03-09' },
      { 'check-calendar-task': calendar(false) },
    );

    expect(error).toBeUndefined();
    expect(calls).toEqual(['check-calendar-task', 'report-market-closed-task']);
    expect(entered.at(-1)).toBe('market-closed');
  });

  it('retries a transient error, matched by the thrown error name, and carries on', async () => {
    let failures = 0;
    const { calls, error } = await execute(
      { tradingDate: '2024-03-05' },
      {
        'check-calendar-task': calendar(true),
        'execute-orders-task': (payload) => {
          if (failures++ < 2) throw namedError('BrokerUnavailableError');
          return payload;
        },
      },
    );

    expect(error).toBeUndefined();
    expect(calls.filter((state) => state === 'execute-orders-task')).toHaveLength(3);
    expect(calls).not.toContain('report-failure-task');
    expect(calls.at(-1)).toBe('report-task');
  });

  it('gives up on a transient error after three retries and reports the failure', async () => {
    const { calls, error } = await execute(
      { tradingDate: '2024-03-05' },
      {
        'check-calendar-task': calendar(true),
        'fetch-data-task': () => {
          throw namedError('MarketDataUnavailableError');
        },
      },
    );

    expect(calls).toEqual([
      'check-calendar-task',
      ...Array(4).fill('fetch-data-task'),
      'report-failure-task',
    ]);
    expect(error?.name).toBe('DailyRunFailed');
  });

  it.each(['OrderRejectedError', 'InvalidInputError'])(
    'does not retry %s: it reports the failure with the state so far, then fails',
    async (name) => {
      const reported: State[] = [];
      const { calls, error } = await execute(
        { tradingDate: '2024-03-05' },
        {
          'check-calendar-task': calendar(true),
          'execute-orders-task': () => {
            throw namedError(name, 'the broker said no');
          },
          'report-failure-task': (payload) => {
            reported.push(payload);
            return payload;
          },
        },
      );

      expect(calls.filter((state) => state === 'execute-orders-task')).toHaveLength(1);
      expect(calls.at(-1)).toBe('report-failure-task');
      expect(reported).toEqual([
        {
          failed: expect.objectContaining({
            tradingDate: '2024-03-05',
            visited: ['check-calendar-task', ...STEP_TASKS.slice(0, 6)],
            error: { Error: name, Cause: 'the broker said no' },
          }),
          executionId: EXECUTION_ID,
        },
      ]);
      expect(error?.name).toBe('DailyRunFailed');
    },
  );

  it('still fails as DailyRunFailed when the failure report cannot be sent', async () => {
    const { calls, error } = await execute(
      { tradingDate: '2024-03-05' },
      {
        'check-calendar-task': calendar(true),
        'check-risk-task': () => {
          throw namedError('InvalidInputError');
        },
        'report-failure-task': () => {
          throw namedError('MailerError');
        },
      },
    );

    expect(calls.at(-1)).toBe('report-failure-task');
    expect(error?.name).toBe('DailyRunFailed');
  });

  it.each([
    { refusal: 'RunAlreadyCompletedError', end: 'already-ran' },
    { refusal: 'RunInProgressError', end: 'run-in-progress' },
  ])('ends in $end on $refusal without a report', async ({ refusal, end }) => {
    const { calls, entered, error } = await execute(
      { tradingDate: '2024-03-05' },
      {
        'check-calendar-task': () => {
          throw namedError(refusal);
        },
      },
    );

    expect(calls).toEqual(['check-calendar-task']);
    expect(entered.at(-1)).toBe(end);
    expect(error?.name).toBe(refusal);
  });
});
