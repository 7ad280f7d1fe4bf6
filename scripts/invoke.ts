/**
 * npm run invoke -- <function> <event.json> [--state DIR] [--data DIR] [--config FILE] [--verbose]
 * One Lambda handler, invoked by hand with a payload (events/<function>/*.json), against the local
 * state that npm start keeps (.local/): prints the state it returns.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Context } from 'aws-lambda';
import {
  WORKFLOW_FUNCTIONS,
  type WorkflowFunction,
} from '../infra/constructs/workflow-functions.js';
import { TradingError } from '../shared/domain/errors.js';
import type { RunState } from '../shared/steps/types.js';
import { runCli } from './cli.js';
import { openLocalWorkflow } from './local/workflow.js';

const USAGE =
  'usage: npm run invoke -- <function> <event.json> [--state DIR] [--data DIR] [--config FILE] [--verbose]';

type Handler = (event: unknown, context: Context) => Promise<RunState>;

const isFunction = (name: string): name is WorkflowFunction =>
  (WORKFLOW_FUNCTIONS as readonly string[]).includes(name);

/** The event file's payload, or a TradingError saying why it cannot be read. */
async function readEvent(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TradingError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TradingError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

// What Lambda passes the handler: the Logger middleware reads the name and the request id
const lambdaContext = (name: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'invoke',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 900_000,
  }) as Context;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      state: { type: 'string', default: '.local' },
      data: { type: 'string', default: 'data' },
      config: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [name, file, ...extra] = positionals;
  if (name === undefined || file === undefined || extra.length > 0) {
    throw new TradingError(`expected a function and an event file\n${USAGE}`);
  }
  if (!isFunction(name)) {
    throw new TradingError(
      `unknown function "${name}": one of ${WORKFLOW_FUNCTIONS.join(', ')} (report also takes the market-closed and failure states)`,
    );
  }
  // Before the services start: a typo in the path should not cost their start-up
  const event = await readEvent(file);

  const workflow = await openLocalWorkflow({
    stateDir: values.state,
    dataDir: values.data,
    broker: 'simulated',
    ...(values.config !== undefined && { configFile: values.config }),
    ...(values.verbose && { logLevel: 'INFO' }),
  });
  try {
    const { handler } = (await import(`../functions/${name}/handler.ts`)) as { handler: Handler };
    const next = await handler(event, lambdaContext(name));
    console.log(JSON.stringify(next, null, 2));
  } finally {
    await workflow.close();
  }
}

runCli('npm run invoke', USAGE, main, { errorNames: true });
