import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RequestFaults } from '../../../scripts/local/alpaca-server/faults.js';
import {
  type AlpacaServerOptions,
  type AlpacaTestServer,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';
import {
  type CboeServer,
  shippedVixAsCboe,
  startCboeServer,
} from '../../../scripts/local/cboe-server.js';
import {
  firstError,
  type LocalWorkflow,
  openLocalWorkflow,
  type RunOutcome,
} from '../../../scripts/local/workflow.js';
import type { TradingConfigInput } from '../../../shared/domain/config.js';
import { entryOfStop } from '../../../shared/domain/orders/client-order-id.js';
import { runKey } from '../../../shared/ports/index.js';
import {
  DayArtifactSchema,
  OrderRecordSchema,
  PortfolioSchema,
  ReportArtifactSchema,
} from '../../../shared/steps/documents.js';

/** The daily workflow on Alpaca: the local Alpaca server, CBOE's stand-in, a fresh state folder. */
export interface AlpacaRun {
  readonly server: AlpacaTestServer;
  readonly cboe: CboeServer;
  readonly workflow: LocalWorkflow;
  close(): Promise<void>;
}

/**
 * Starts the servers and opens the real workflow (its definition, handlers and SDK) against them.
 * The server's clock is after the close of the first date, as the schedule starts a run at 16:15.
 * `env` adds variables the handlers read at their first invoke (a short SDK timeout, say);
 * `config` is the trading config (the defaults unless given), written to the state folder.
 */
export async function openAlpacaRun(
  options: {
    server?: AlpacaServerOptions;
    env?: Record<string, string>;
    config?: TradingConfigInput;
    /** The last date CBOE's file has a close for (the whole shipped history unless given) */
    vixThrough?: string;
  } = {},
): Promise<AlpacaRun> {
  const saved = { ...process.env };
  const server = await startAlpacaServer({ date: '2023-06-15', at: '17:00', ...options.server });
  const cboe = await startCboeServer(await shippedVixAsCboe(options.vixThrough));
  Object.assign(process.env, {
    APCA_API_KEY_ID: server.keyId,
    APCA_API_SECRET_KEY: server.secret,
    APCA_API_BASE_URL: server.url,
    VIX_URL: cboe.url,
    // Read retries in milliseconds, not seconds: the faults below are bursts the SDK retries
    ALPACA_RETRY_DELAY_MS: '20',
    ...options.env,
  });
  const stateDir = await mkdtemp(join(tmpdir(), 'alpaca-run-'));
  let configFile: string | undefined;
  if (options.config) {
    configFile = join(stateDir, 'config.json');
    await writeFile(configFile, JSON.stringify(options.config));
  }
  const workflow = await openLocalWorkflow({
    stateDir,
    dataDir: 'data',
    broker: 'alpaca',
    ...(configFile && { configFile }),
  });
  return {
    server,
    cboe,
    workflow,
    close: async () => {
      await workflow.close();
      await server.close();
      await cboe.close();
      process.env = saved;
    },
  };
}

/** Every order the journal holds. */
export async function journal(workflow: LocalWorkflow) {
  return (await workflow.store.list('order', OrderRecordSchema)).map((r) => r.value);
}

/** Every `POST /v2/orders` the server received, with the client order id it carried. */
export const posts = (server: AlpacaTestServer) =>
  server.requests({ method: 'POST', path: '/v2/orders' }).map((r) => ({
    ...r,
    clientOrderId: String((r.body as { client_order_id?: unknown })?.client_order_id),
  }));

/** The entries the server holds (the bot's ids end in -buy-entry). */
export const entriesAt = (server: AlpacaTestServer) =>
  server.orders().filter((o) => String(o.client_order_id).endsWith('-buy-entry'));

/** An order at the server under the bot's id: a stop sent with its entry is the entry's leg. */
export function orderAt(
  server: AlpacaTestServer,
  clientOrderId: string,
): Record<string, unknown> | undefined {
  const own = server.order(clientOrderId);
  if (own) return own;
  const entry = entryOfStop(clientOrderId);
  const parent = entry === undefined ? undefined : server.order(entry);
  return (parent?.legs as Record<string, unknown>[] | null | undefined)?.find(
    (leg) => leg.type === 'stop' && leg.side === 'sell',
  );
}

const LIVE = new Set(['new', 'accepted', 'partially_filled']);
const OPEN = new Set([...LIVE, 'held']);

/** What the books call the server's status (the adapter's mapping; the others are the same word). */
const booksStatus = (status: string) => (OPEN.has(status) ? 'open' : status);

/** The closing state of a date, as the report left it. */
export async function closed(workflow: LocalWorkflow, date: string) {
  const [portfolio, day, report] = await Promise.all([
    workflow.store.get(`portfolio/${date}`, PortfolioSchema),
    workflow.store.get(runKey(date, 'day'), DayArtifactSchema),
    workflow.store.get(`equity/${date}`, ReportArtifactSchema),
  ]);
  if (!portfolio || !day || !report) throw new Error(`${date} has not closed`);
  return { portfolio: portfolio.value, day: day.value, report: report.value };
}

/**
 * What must hold after any fault, checked against the server: every order posted once (no
 * client_order_id twice, no POST beyond one per id except after one that never landed), nothing
 * lost (every order sent is at the server, every bot order at the server is journalled), the
 * closing books equal to the broker's positions, every lot protected by a live stop at the
 * server, unless its symbol is quarantined and said in the report's alerts. Returns the
 * problems found, so a failing test names them all.
 */
export async function inconsistencies(
  { server, workflow }: Pick<AlpacaRun, 'server' | 'workflow'>,
  date: string,
): Promise<string[]> {
  const problems: string[] = [];
  const { portfolio, day, report } = await closed(workflow, date);
  const atServer = server.orders();
  const ids = atServer.map((o) => String(o.client_order_id));
  for (const id of new Set(ids)) {
    if (ids.filter((i) => i === id).length > 1) problems.push(`${id} is at the server twice`);
  }
  // A POST of an id the server already holds is a resend the lookups should have prevented
  const landed = new Set<string>();
  for (const post of posts(server)) {
    const held = ids.includes(post.clientOrderId);
    if (landed.has(post.clientOrderId) || (post.status === 422 && held)) {
      problems.push(`${post.clientOrderId} was posted again after it reached the server`);
    }
    if (post.status === 200) landed.add(post.clientOrderId);
  }
  const records = await journal(workflow);
  const journalled = new Set(records.map((r) => r.clientOrderId));
  // A date's orders each have their own place in its journal (orders.csv's order)
  const places = new Map<string, string>();
  for (const record of records) {
    const place = `${record.decisionDate}#${record.ordinal}`;
    const other = places.get(place);
    if (other) problems.push(`${record.clientOrderId} and ${other} share the ordinal ${place}`);
    places.set(place, record.clientOrderId);
  }
  for (const id of ids) {
    // Legs carry the server's ids: they are found through their entries
    const bot = /-(buy|sell)-(entry|exit|stop)/.test(id);
    if (bot && !journalled.has(id)) problems.push(`${id} is at the server but not journalled`);
  }
  for (const record of records) {
    if (record.riskRejected || record.venue === null) continue;
    const order = orderAt(server, record.clientOrderId);
    if (record.venue.status === 'rejected') {
      // Refused at submit stores nothing; refused at the open is an order the server rejected
      if (order && order.status !== 'rejected') {
        problems.push(
          `${record.clientOrderId} is journalled rejected, the server says ${order.status}`,
        );
      }
      continue;
    }
    if (!order) {
      problems.push(
        `${record.clientOrderId} is journalled as sent but the server has no such order`,
      );
      continue;
    }
    // The journal holds the venue's word as of the last run that looked: it may only lag
    const now = booksStatus(String(order.status));
    if (record.venue.status !== now && record.venue.status !== 'open') {
      problems.push(
        `${record.clientOrderId} is journalled ${record.venue.status}, the server says ${order.status}`,
      );
    }
  }
  const quarantined = new Set(day.quarantined.map((q) => q.symbol));
  const reported = (symbol: string) =>
    quarantined.has(symbol) &&
    report.alerts.some((alert) => alert.startsWith(`${symbol} quarantined`));
  const books = new Map<string, number>();
  for (const lot of portfolio.lots) {
    books.set(lot.symbol, (books.get(lot.symbol) ?? 0) + lot.qty);
    const stop = orderAt(server, lot.stopOrderId);
    const live = stop !== undefined && LIVE.has(String(stop.status));
    // A lot its exit sells at the next open had its stop cancelled to free the shares
    const exiting = portfolio.pending.some((p) => p.intent === 'exit' && p.symbol === lot.symbol);
    if (!live && !exiting && !reported(lot.symbol)) {
      problems.push(
        `lot ${lot.symbol} (${lot.strategy}) has no live stop at the server (${lot.stopOrderId}: ${stop?.status ?? 'none'}) and is not reported`,
      );
    }
    if (live && Number(stop.qty) !== lot.qty && !reported(lot.symbol)) {
      problems.push(`stop of ${lot.symbol} covers ${String(stop.qty)}, the lot holds ${lot.qty}`);
    }
  }
  const positions = new Map(server.positions().map((p) => [String(p.symbol), Number(p.qty)]));
  for (const symbol of new Set([...books.keys(), ...positions.keys()])) {
    const mine = books.get(symbol) ?? 0;
    const theirs = positions.get(symbol) ?? 0;
    if (mine !== theirs && !reported(symbol)) {
      problems.push(`${symbol}: books hold ${mine}, the broker ${theirs}, and no alert says so`);
    }
  }
  // Every order the books wait on is at the server, open
  for (const pending of portfolio.pending) {
    if (!orderAt(server, pending.clientOrderId) && !reported(pending.symbol)) {
      problems.push(`pending ${pending.clientOrderId} is not at the server`);
    }
  }
  return problems;
}

/** The run of a date, started after its close as the schedule does. */
export async function runOn(r: AlpacaRun, date: string): Promise<RunOutcome> {
  if (r.server.now() < new Date(`${date}T21:00:00Z`)) r.server.advanceTo(date, '17:00');
  return r.workflow.run(date);
}

/** A date's run that must succeed. */
export async function succeeds(r: AlpacaRun, date: string): Promise<RunOutcome> {
  const outcome = await runOn(r, date);
  // A step may have failed and been retried: the run as a whole must have gone through
  expect(
    outcome.error && `${outcome.error.message} (first: ${firstError(outcome)?.message})`,
  ).toBeUndefined();
  expect(outcome.status).toBe('succeeded');
  return outcome;
}

/** Injects a fault at the moment the nth request matching method and path arrives. */
export function onRequest(
  r: AlpacaRun,
  method: string,
  path: string,
  act: (n: number) => void,
): void {
  const faults = r.server.faults;
  const take = faults.take.bind(faults);
  let n = 0;
  faults.take = (m: string, p: string): RequestFaults => {
    if (m === method && p === path) act(++n);
    return take(m, p);
  };
}
