import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LocalWorkflow, openLocalWorkflow } from '../../../scripts/local/workflow.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import type { RunState } from '../../../shared/steps/types.js';

type Handler = (event: unknown, context: Context) => Promise<RunState>;

// What Lambda passes: the Logger middleware reads the function's name and the request id
const contextFor = (name: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: `test-${name}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 900_000,
  }) as Context;

const event = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(join('events', path), 'utf8'));

const invoke = async (name: string, payload: unknown): Promise<RunState> => {
  const { handler } = (await import(`../../../functions/${name}/handler.ts`)) as {
    handler: Handler;
  };
  return handler(payload, contextFor(name));
};

// The handlers read their environment at their first invoke: openLocalWorkflow sets it, and starts
// the dynalite and s3rver that it points at, in a folder of this file's own. INFO: the Logger takes
// its level from the environment when it is built, and resets to it on every invoke
let dir: string;
let workflow: LocalWorkflow;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'handlers-'));
  workflow = await openLocalWorkflow({
    stateDir: dir,
    dataDir: 'data',
    broker: 'simulated',
    logLevel: 'INFO',
  });
});
afterAll(async () => {
  await workflow?.close();
  await rm(dir, { recursive: true, force: true });
});

// The Logger's JSON lines, kept out of the test output
let stdout: string[];
beforeEach(() => {
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('check-calendar handler', () => {
  it('opens a session and takes the run id from the execution', async () => {
    const start = await event('check-calendar/by-date.json');

    const state = await invoke('check-calendar', start);

    expect(state).toEqual({
      tradingDate: '2023-06-16',
      runId: start.executionId,
      marketOpen: true,
      resumed: false,
      lastStep: 'check-calendar',
    });
  });

  it('reads the trading date of a scheduled start in New York', async () => {
    const state = await invoke('check-calendar', await event('check-calendar/scheduled.json'));

    expect(state).toMatchObject({ tradingDate: '2023-06-16', marketOpen: true });
  });

  it('ends a Saturday as a weekend', async () => {
    const state = await invoke(
      'check-calendar',
      await event('check-calendar/market-closed-2023-06-17.json'),
    );

    expect(state).toMatchObject({
      tradingDate: '2023-06-17',
      marketOpen: false,
      closedReason: 'weekend',
    });
  });

  it.each([
    { input: { tradingDate: '2023-02-30' }, executionId: 'arn', field: 'input.tradingDate' },
    { input: { tradingDate: '2023-06-16' }, executionId: '', field: 'executionId' },
  ])('rejects a malformed start, naming $field', async ({ field, ...start }) => {
    const call = invoke('check-calendar', start);

    await expect(call).rejects.toThrow(InvalidInputError);
    await expect(call).rejects.toThrow(`workflow input: ${field}:`);
  });
});

describe('a step handler', () => {
  it('rejects a RunState without its run id, naming the field', async () => {
    const { runId: _, ...state } = await event('fetch-data/2023-06-16.json');

    const call = invoke('fetch-data', state);

    await expect(call).rejects.toThrow(InvalidInputError);
    await expect(call).rejects.toThrow('RunState: runId:');
  });
});

describe('report handler', () => {
  it('writes the market-closed email to the outbox', async () => {
    const state = await event('report/market-closed-2023-06-17.json');

    const next = await invoke('report', state);

    expect(next).toEqual({ ...state, lastStep: 'report' });
    const email = await readFile(join(workflow.outboxDir, '2023-06-17-market-closed.eml'), 'utf8');
    expect(email).toContain('Subject: Trading bot 2023-06-17: market closed');
    expect(email).toContain('The market is closed on 2023-06-17 (weekend)');
  });
});

describe('Powertools logs', () => {
  it('carry the trading date, the step and the run id on every line', async () => {
    const start = await event('check-calendar/market-closed-2023-06-17.json');

    await invoke('check-calendar', start);

    const logs = stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'check-calendar done',
        tradingDate: '2023-06-17',
        step: 'check-calendar',
        runId: start.executionId,
        function_name: 'check-calendar',
      }),
    );
    for (const log of logs) expect(log).toMatchObject({ tradingDate: '2023-06-17' });
  });
});
