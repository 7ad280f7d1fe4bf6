import { sessionsBetween } from '../../shared/domain/calendar/nyse.js';
import type { FeatureSnapshot } from '../../shared/domain/features/feature-snapshot.js';
import type { Lot } from '../../shared/domain/model.js';
import { runKey, type StateStore } from '../../shared/ports/index.js';
import {
  type ReportArtifact,
  ReportArtifactSchema,
  RunRecordSchema,
} from '../../shared/steps/documents.js';
import {
  money,
  NO_VALUE,
  percent,
  plural,
  signedMoney,
  signedPercent,
} from '../../shared/steps/email-layout.js';
import {
  newestPortfolio,
  readTradingState,
  resumeTrading,
  setTradingState,
} from '../../shared/steps/halt.js';
import { MissingStateError, requireFeatures } from '../../shared/steps/state.js';
import { columns, labelled } from './format.js';

// Each command reads or writes the state documents and returns the lines to print, so tests call
// them against a local store without a process or a terminal

const END_OF_TIME = '9999-12-31';
// A run that started after the newest closing portfolio and did not finish (failed, or running)
// is within this many calendar days of it: a longer gap means the bot was not running at all
const RUN_LOOKAHEAD_DAYS = 14;

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The newest run record: the newest closing portfolio's date, or a later run that did not close. */
async function lastRun(store: StateStore, closed: string | undefined) {
  if (closed === undefined) return undefined;
  const dates = Array.from({ length: RUN_LOOKAHEAD_DAYS + 1 }, (_, i) => addDays(closed, i));
  // Started together, the reads go out as one BatchGetItem
  const records = await Promise.all(
    dates.map((date) => store.get(runKey(date, 'record'), RunRecordSchema)),
  );
  return records.findLast((record) => record !== undefined)?.value;
}

const dayChange = (day: ReportArtifact) =>
  day.dailyReturn === null ? '' : ` (${signedPercent(day.dailyReturn)} on the day)`;

/** The trading state and why, the last run, equity and heat. */
export async function status(store: StateStore): Promise<string[]> {
  const [view, equity, portfolio] = await Promise.all([
    readTradingState(store),
    store.latestBefore('equity', END_OF_TIME, ReportArtifactSchema),
    newestPortfolio(store),
  ]);
  const run = await lastRun(store, portfolio?.id);
  const runLine = run
    ? `${run.tradingDate} ${run.status}, started ${run.startedAt}` +
      (run.finishedAt ? `, finished ${run.finishedAt}` : '') +
      (run.error ? ` (${run.error})` : '')
    : 'none yet';
  const day = equity?.value;
  const book = portfolio?.value;
  return labelled([
    ['trading state', `${view.state}: ${view.why}`],
    ['last run', runLine],
    [
      'equity',
      day ? `${money(day.equity)} at the close of ${day.date}${dayChange(day)}` : NO_VALUE,
    ],
    ['cash', day ? money(day.cash) : NO_VALUE],
    ['heat', day ? `${percent(day.heat)} (exposure ${money(day.exposure)})` : NO_VALUE],
    ['drawdown', day ? percent(day.drawdown) : NO_VALUE],
    ['book', book ? `${book.lots.length} lots, ${book.pending.length} orders pending` : 'empty'],
  ]);
}

/** The last `days` reports' equity and profit and loss, oldest first, with the window's total. */
export async function history(store: StateStore, days: number): Promise<string[]> {
  const series = (await store.list('equity', ReportArtifactSchema)).map((item) => item.value);
  if (series.length === 0) return ['no run has reported yet'];
  const start = Math.max(0, series.length - days);
  const rows = series.slice(start).map((day, i) => {
    const before = series[start + i - 1];
    const change = before === undefined ? Number.NaN : day.equity - before.equity;
    const realised = day.closedTrades.reduce((sum, trade) => sum + trade.pnl, 0);
    return [
      day.date,
      money(day.equity),
      signedMoney(change),
      day.dailyReturn === null ? NO_VALUE : signedPercent(day.dailyReturn),
      signedMoney(realised),
      String(day.closedTrades.length),
      String(day.entriesSent),
      String(day.exitsSent),
      day.tradingState,
    ];
  });
  const first = series[start - 1] ?? series[start]!;
  const last = series.at(-1)!;
  const total = last.equity - first.equity;
  return [
    ...columns([
      ['date', 'equity', 'P&L', 'return', 'realised', 'closed', 'entries', 'exits', 'state'],
      ...rows,
    ]),
    '',
    `${plural(rows.length, 'day')} to ${last.date}: ${signedMoney(total)} (${signedPercent(total / first.equity)})`,
  ];
}

/** Sessions a lot has been held through the close of `asOf`, its entry day counting as the first. */
const daysHeld = (lot: Lot, asOf: string) =>
  asOf <= lot.entryDate ? 1 : sessionsBetween(lot.entryDate, asOf).length + 2;

/** The open lots with entry, stop and days held, and the orders the book waits on. */
export async function positions(store: StateStore): Promise<string[]> {
  const portfolio = await newestPortfolio(store);
  if (portfolio === undefined) return ['no closing portfolio yet: nothing held'];
  const { id: asOf, value: book } = portfolio;
  // The close of the portfolio's date, for the marks; a date whose artefacts were deleted has none
  const features = await requireFeatures(store, asOf).catch((error: unknown) => {
    if (error instanceof MissingStateError) return undefined;
    throw error;
  });
  const close = (symbol: string) => closeOf(features, symbol);
  const lines = [`as of the close of ${asOf}: ${book.lots.length} lots`];
  if (book.lots.length > 0) {
    lines.push(
      ...columns([
        ['symbol', 'strategy', 'qty', 'entered', 'entry', 'stop', 'close', 'unrealised', 'days'],
        ...book.lots.map((lot) => [
          lot.symbol,
          lot.strategy,
          String(lot.qty),
          lot.entryDate,
          lot.entryPrice.toFixed(2),
          Number.isFinite(lot.stopPrice) ? lot.stopPrice.toFixed(2) : NO_VALUE,
          Number.isFinite(close(lot.symbol)) ? close(lot.symbol).toFixed(2) : NO_VALUE,
          signedMoney((close(lot.symbol) - lot.entryPrice) * lot.qty),
          String(daysHeld(lot, asOf)),
        ]),
      ]),
    );
  }
  for (const order of book.pending) {
    const side = order.intent === 'entry' ? 'buy' : 'sell';
    lines.push(
      `pending ${order.intent}: ${side} ${order.qty} ${order.symbol} (${order.clientOrderId})`,
    );
  }
  return lines;
}

function closeOf(features: FeatureSnapshot | undefined, symbol: string): number {
  if (features === undefined) return Number.NaN;
  const index = features.indexOf(symbol);
  return index < 0 ? Number.NaN : (features.features().close[index] ?? Number.NaN);
}

/** Who and when a person halts or resumes: the CLI's user (or --by), the wall clock. */
export interface Operator {
  readonly by: string;
  readonly now: Date;
}

/** Halts by hand: the next run refuses entries. A halted bot stays as it was halted. */
export async function halt(store: StateStore, reason: string, who: Operator): Promise<string[]> {
  const write = await setTradingState(store, {
    state: 'HALTED',
    by: who.by,
    at: who.now.toISOString(),
    reason,
  });
  const { control } = write;
  if (!write.changed) {
    return [
      `already HALTED by ${control?.by} at ${control?.at}: ${control?.reason}; nothing changed`,
    ];
  }
  return [
    `HALTED by ${control?.by} at ${control?.at}: ${reason}`,
    'The next run refuses every entry; exits and protective stops carry on.',
    'Entries already sent stay at the broker (the circuit breaker cancels them, a hand halt does not).',
  ];
}

/** Resumes: ACTIVE again from the next run, with who and when recorded. */
export async function resume(
  store: StateStore,
  reason: string | undefined,
  who: Operator,
): Promise<string[]> {
  const resumed = await resumeTrading(store, {
    by: who.by,
    at: who.now.toISOString(),
    reason: reason ?? 'resumed by hand',
  });
  if (!resumed.changed) return ['already ACTIVE; nothing changed'];
  const lines = [`ACTIVE from the next run: resumed by ${who.by} at ${who.now.toISOString()}`];
  if (resumed.portfolioCleared !== null) {
    lines.push(`cleared the drawdown halt the portfolio of ${resumed.portfolioCleared} carried`);
  }
  return lines;
}
