import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { TradingError } from '../../shared/domain/errors.js';
import { assertIsoDate } from '../../shared/domain/time.js';
import { runLocalDay } from '../local/run-day.js';
import { backtest } from './backtest.js';
import { halt, history, type Operator, positions, resume, status } from './commands.js';
import { openState, type Target } from './target.js';

export const USAGE = `usage: npm run bot -- <command> [options]
  status                      trading state and why, last run, equity, heat
  history [--days N]          the last N days' equity and P&L (default 10)
  positions                   open lots with entry, stop and days held; pending orders
  halt --reason R [--by NAME] stop entries from the next run (exits and stops carry on)
  resume [--reason R] [--by NAME]
                              trade again from the next run
  run [--date D] [--data DIR] [--config FILE]
                              the local daily run (as npm start)
  backtest --spec FILE [--shards N] [--workers N] [--out DIR]
                              a sweep through the backtest state machine, run locally (the
                              shards in child processes, a folder for the bucket)
state: --state DIR (default .local) for the local state, or --table NAME --region R for the
deployed table (the TradingBotData stack's StateTableName output)`;

const OPTIONS = {
  state: { type: 'string', default: '.local' },
  table: { type: 'string' },
  region: { type: 'string' },
  stack: { type: 'string' },
  days: { type: 'string', default: '10' },
  reason: { type: 'string' },
  by: { type: 'string' },
  date: { type: 'string' },
  data: { type: 'string', default: 'data' },
  config: { type: 'string' },
  spec: { type: 'string' },
  shards: { type: 'string' },
  workers: { type: 'string' },
  out: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What a command printed, and whether the process should exit with success. */
export interface BotResult {
  readonly ok: boolean;
  readonly lines: string[];
}

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

function targetOf(values: Values): Target {
  if (values.stack !== undefined) {
    // @aws-sdk/client-cloudformation is not a dependency: one command line resolves it instead
    throw new TradingError(
      `--stack needs @aws-sdk/client-cloudformation, which is not installed: pass --table NAME --region R ` +
        `(aws cloudformation describe-stacks --stack-name ${values.stack} --query ` +
        `"Stacks[0].Outputs[?OutputKey=='StateTableName'].OutputValue" --output text)`,
    );
  }
  if (values.table === undefined) return { kind: 'local', stateDir: values.state };
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (region === undefined) throw new TradingError('--table needs --region (or AWS_REGION)');
  return { kind: 'deployed', table: values.table, region };
}

function daysOf(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1) {
    throw new TradingError(`--days must be a whole number of days, got "${text}"`);
  }
  return days;
}

const operator = (values: Values, now: Date): Operator => ({
  by: values.by ?? userInfo().username,
  now,
});

/** Runs one command of the bot CLI; `now` is when a halt or resume is recorded. */
export async function bot(argv: readonly string[], now = new Date()): Promise<BotResult> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [command, ...extra] = positionals;
  if (values.help || command === undefined) return { ok: values.help === true, lines: [USAGE] };
  if (extra.length > 0) throw new TradingError(`unexpected arguments: ${extra.join(' ')}`);

  if (command === 'backtest') {
    if (values.table !== undefined || values.stack !== undefined) {
      throw new TradingError(
        'backtest runs the state machine locally; start the deployed one with aws stepfunctions ' +
          'start-execution --state-machine-arn ARN --input file://SPEC (ARN: the ' +
          'TradingBotBacktest stack’s BacktestStateMachineArn output)',
      );
    }
    return { ok: true, lines: await backtest(values) };
  }
  if (command === 'run') {
    if (values.table !== undefined || values.stack !== undefined) {
      throw new TradingError(
        'run starts the local workflow only; start the deployed one with aws stepfunctions ' +
          `start-execution --state-machine-arn ARN --input '{"tradingDate":"YYYY-MM-DD"}' ` +
          '(ARN: the TradingBot stack’s StateMachineArn output)',
      );
    }
    return runLocalDay({
      stateDir: values.state,
      dataDir: values.data,
      verbose: values.verbose,
      ...(values.date !== undefined && { date: assertIsoDate(values.date, '--date') }),
      ...(values.config !== undefined && { configFile: values.config }),
    });
  }
  const commands: Record<string, (store: Parameters<typeof status>[0]) => Promise<string[]>> = {
    status,
    history: (store) => history(store, daysOf(values.days)),
    positions,
    halt: (store) => {
      if (!values.reason) throw new TradingError('halt needs --reason: why trading stops');
      return halt(store, values.reason, operator(values, now));
    },
    resume: (store) => resume(store, values.reason, operator(values, now)),
  };
  const chosen = commands[command];
  if (chosen === undefined) throw new TradingError(`unknown command "${command}"\n${USAGE}`);
  const state = await openState(targetOf(values));
  try {
    return { ok: true, lines: [`${state.where}`, ...(await chosen(state.store))] };
  } finally {
    await state.close();
  }
}
