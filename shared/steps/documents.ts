import * as z from 'zod';
import { StrategyIdSchema } from '../domain/config.js';
import type { FilterResult } from '../domain/correlation/filter-correlated.js';
import type {
  ClosedTrade,
  ExitDecision,
  Lot,
  Regime,
  RiskDecision,
  Signal,
  SizedOrder,
} from '../domain/model.js';
import { upgradeStoredOrder } from '../domain/orders/order-status.js';
import type { PendingEntry, PendingExit, Portfolio } from '../domain/portfolio/portfolio.js';
import { type Account, ORDER_STATUSES, type Order } from '../ports/index.js';

// The schemas every persisted document is parsed through on the way in. Each is typed by the
// domain interface it reads, so a field added to one and not the other fails to compile

/** A float that JSON may have written as null (NaN has no JSON form): read back as NaN. */
const float = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const date = z.iso.date();
const id = z.string().min(1);
const qty = z.number().int().nonnegative();
const tradingState = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);
const exitReason = z.enum(['strategy', 'time', 'stop', 'target']);

export const LotSchema: z.ZodType<Lot> = z.object({
  symbol: id,
  strategy: StrategyIdSchema,
  qty,
  entryDate: date,
  entrySession: z.number().int().nonnegative(),
  entryPrice: z.number(),
  entryCommission: z.number(),
  stopPrice: float,
  targetPrice: z.number().nullable(),
  entryOrderId: id,
  stopOrderId: id,
});

const PendingEntrySchema = z.object({
  intent: z.literal('entry'),
  clientOrderId: id,
  decisionDate: date,
  symbol: id,
  qty,
  strategy: StrategyIdSchema,
  stopOrderId: id,
  stopPrice: float,
  targetPrice: z.number().nullable(),
});

const PendingExitSchema = z.object({
  intent: z.literal('exit'),
  clientOrderId: id,
  decisionDate: date,
  symbol: id,
  qty,
  allocations: z.array(
    z.object({ strategy: StrategyIdSchema, qty, reason: exitReason, detail: z.string() }),
  ),
});

const PendingOrderSchema: z.ZodType<PendingEntry | PendingExit> = z.discriminatedUnion('intent', [
  PendingEntrySchema,
  PendingExitSchema,
]);

export const PortfolioSchema: z.ZodType<Portfolio> = z.object({
  lots: z.array(LotSchema),
  pending: z.array(PendingOrderSchema),
  tradingState,
  previousEquity: z.number().nullable(),
  peakEquity: z.number(),
  lastRunDate: date.nullable(),
});

// A record written before orders had a time in force and `open` was `accepted` reads as it was
export const OrderSchema: z.ZodType<Order> = z.preprocess(
  upgradeStoredOrder,
  z.object({
    clientOrderId: id,
    symbol: id,
    side: z.enum(['buy', 'sell']),
    qty,
    type: z.enum(['market', 'stop']),
    stopPrice: float.optional(),
    intent: z.enum(['entry', 'exit', 'stop']),
    timeInForce: z.enum(['day', 'gtc']),
    stopLoss: z.object({ clientOrderId: id, stopPrice: float }).optional(),
    status: z.enum(ORDER_STATUSES),
    submittedAt: z.string(),
    filledQty: qty,
    filledAvgPrice: z.number().nullable(),
    filledDate: date.nullable(),
    commission: z.number(),
    rejectReason: z.string().nullable(),
  }),
);

const AccountSchema: z.ZodType<Account> = z.object({ cash: z.number(), equity: z.number() });

export const ClosedTradeSchema: z.ZodType<ClosedTrade> = z.object({
  symbol: id,
  strategy: StrategyIdSchema,
  entryDate: date,
  entryPrice: z.number(),
  exitDate: date,
  exitPrice: z.number(),
  qty,
  pnl: z.number(),
  costs: z.number(),
  exitReason,
});

/** What fetch-data learnt of the day: the account after the close and what the broker filled. */
export const DayArtifactSchema = z.object({
  vix: z.number(),
  account: AccountSchema,
  closedTrades: z.array(ClosedTradeSchema),
  filled: z.array(OrderSchema),
  unfilled: z.array(OrderSchema),
  /** Sessions replayed into the indicators before this run: a first run's warm-up */
  warmedUpSessions: z.number().int().nonnegative(),
  /** Sessions the bot did not run on, advanced into the indicators without decisions */
  backfilled: z.array(date),
  /** Symbols not traded today (books and broker disagree, no bar), said so in the report */
  quarantined: z.array(z.object({ symbol: id, reason: z.string() })),
  /** Symbols the market data had no bar for, by date: their last close was carried forward */
  carriedForward: z.array(z.object({ symbol: id, dates: z.array(date) })).default([]),
  /** The session of the VIX close the regime used when the day's own was unavailable */
  vixAsOf: date.nullable().default(null),
  /** How many sessions old that close is, the day counted (0: the day's own close) */
  vixStaleSessions: z.number().int().nonnegative().default(0),
  /** Where the day's entries continue the order journal's ordinals, after the stops re-placed here */
  nextOrdinal: z.number().int().nonnegative().default(0),
  /**
   * The feature fingerprint the day's features were built under, so that a resume under a config
   * that means other features is refused; absent in an artifact written before
   */
  fingerprint: z.record(z.string(), z.unknown()).optional(),
});
export type DayArtifact = z.infer<typeof DayArtifactSchema>;

const RegimeSchema: z.ZodType<Regime> = z.object({
  name: z.enum(['low', 'normal', 'high']),
  vix: z.number(),
  maxHeat: z.number(),
  disabledStrategies: z.array(StrategyIdSchema),
});

export const RegimeArtifactSchema = z.object({
  regime: RegimeSchema,
  tradingState,
  tradingStateReason: z.string(),
  /**
   * What the closing portfolio carries to the next day: a drawdown halt sticks, REDUCING lasts one
   * day, and a halt set by hand lives in its own document until someone resumes
   */
  carriedState: z.enum(['ACTIVE', 'HALTED']),
});
export type RegimeArtifact = z.infer<typeof RegimeArtifactSchema>;

const signalFields = {
  symbol: id,
  strategy: StrategyIdSchema,
  confidence: float,
  price: z.number(),
  atr: float,
  reason: z.string(),
};
const SignalSchema: z.ZodType<Signal> = z.object(signalFields);

export const SignalsArtifactSchema = z.object({
  signals: z.array(SignalSchema),
  /** Per symbol (universe order): mean headline sentiment, null where none; null without news */
  sentiment: z.array(z.number().nullable()).nullable(),
  /** Strategies that did not look for entries today, and why */
  inactive: z.partialRecord(StrategyIdSchema, z.string()),
  /** Strategies that threw today: reported, while the others went on */
  failed: z.partialRecord(StrategyIdSchema, z.string()),
});
export type SignalsArtifact = z.infer<typeof SignalsArtifactSchema>;

export const CandidatesArtifactSchema: z.ZodType<FilterResult> = z.object({
  accepted: z.array(SignalSchema),
  rejected: z.array(
    z.object({
      signal: SignalSchema,
      reason: z.enum(['DUPLICATE_SYMBOL', 'CORRELATED', 'CORRELATION_UNKNOWN']),
      detail: z.string(),
    }),
  ),
});
export type CandidatesArtifact = FilterResult;

const SizedOrderSchema: z.ZodType<SizedOrder> = z.object({
  ...signalFields,
  qty,
  stopPrice: float,
  targetPrice: z.number().nullable(),
  estimatedCost: float,
});

export const SizedArtifactSchema = z.object({ orders: z.array(SizedOrderSchema) });
export type SizedArtifact = z.infer<typeof SizedArtifactSchema>;

const RiskDecisionSchema: z.ZodType<RiskDecision> = z.object({
  order: SizedOrderSchema,
  approved: z.boolean(),
  reason: z
    .enum([
      'INSUFFICIENT_CASH',
      'MAX_HEAT',
      'MAX_POSITIONS',
      'MAX_POSITIONS_PER_SYMBOL',
      'NOT_TRADABLE',
      'STALE_VIX',
      'TRADING_STATE',
      'ZERO_SIZE',
    ])
    .nullable(),
  detail: z.string(),
});

export const DecisionsArtifactSchema = z.object({
  decisions: z.array(RiskDecisionSchema),
  /**
   * The entries (client order ids) an earlier attempt of the date's run approved and this one does
   * not: execute-orders keeps those the venue already has, and sends none of the others
   */
  approvedEarlier: z.array(id).default([]),
});
export type DecisionsArtifact = z.infer<typeof DecisionsArtifactSchema>;

/**
 * One order the bot decided, by client order id, and what the venue last said of it: the order
 * journal that orders.csv is read from. Orders the risk checks stopped are journalled too, under
 * the id they would have had, with no venue record: they were never sent.
 */
export const OrderRecordSchema = z.object({
  clientOrderId: id,
  decisionDate: date,
  symbol: id,
  side: z.enum(['buy', 'sell']),
  qty,
  intent: z.enum(['entry', 'exit', 'stop']),
  strategy: z.string(),
  reason: z.string(),
  /** The day's order: risk-rejected first, then entries with their stops, then exits */
  ordinal: z.number().int().nonnegative(),
  riskRejected: z.boolean(),
  /**
   * An entry's stop and profit target as decided, so that a resumed run books an entry the venue
   * already has as it was sent (absent on exits and stops, and on entries journalled before)
   */
  stopPrice: float.optional(),
  targetPrice: z.number().nullable().optional(),
  /** The venue's last word on the order; null until it answered */
  venue: OrderSchema.nullable(),
});
export type OrderRecord = z.infer<typeof OrderRecordSchema>;

/** An order the venue refused today, with its reason in the venue's words: the report lists each. */
export const RefusalSchema = z.object({
  clientOrderId: id,
  symbol: id,
  side: z.enum(['buy', 'sell']),
  intent: z.enum(['entry', 'exit', 'stop']),
  qty,
  reason: z.string(),
});
export type Refusal = z.infer<typeof RefusalSchema>;

/** A refused order as the report lists it, from the venue's answer. */
export const refusalOf = (order: Order): Refusal => ({
  clientOrderId: order.clientOrderId,
  symbol: order.symbol,
  side: order.side,
  intent: order.intent,
  qty: order.qty,
  reason: order.rejectReason ?? 'no reason given',
});

export const OrdersArtifactSchema = z.object({
  /** Client order ids of the entries sent today (their stops are journalled beside them) */
  sent: z.array(id),
  rejectedAtVenue: z.number().int().nonnegative(),
  /** Each entry the venue refused; empty in an artifact written before they were listed */
  refused: z.array(RefusalSchema).default([]),
  /** Where the day's exits continue the order journal's ordinals */
  nextOrdinal: z.number().int().nonnegative(),
  /** Entries an earlier attempt sent and this attempt's decisions did not approve, kept as sent */
  kept: z.array(id).default([]),
});
export type OrdersArtifact = z.infer<typeof OrdersArtifactSchema>;

const ExitDecisionSchema: z.ZodType<ExitDecision> = z.object({
  symbol: id,
  strategy: StrategyIdSchema,
  reason: exitReason,
  detail: z.string(),
});

/** An exit left unsent, and why: its symbol waits for the next run to reconcile. */
export const HeldExitSchema = z.object({ clientOrderId: id, symbol: id, reason: z.string() });
export type HeldExit = z.infer<typeof HeldExitSchema>;

export const ExitsArtifactSchema = z.object({
  exits: z.array(ExitDecisionSchema),
  /**
   * The entry order id of each exit's lot (lotIds[i] is exits[i]'s), so that a rerun acts on the
   * plan an earlier attempt may have sent orders on; absent in an artifact written before
   */
  lotIds: z.array(id).optional(),
  /** One sell per symbol */
  sent: z.array(id),
  rejectedAtVenue: z.number().int().nonnegative(),
  /**
   * Each exit the venue refused, and each stop it refused to re-place after one (its lot is then
   * unprotected); empty in an artifact written before they were listed
   */
  refused: z.array(RefusalSchema).default([]),
  /**
   * Each exit not sent because a lot's stop traded (or ended otherwise) while it was being
   * cancelled to free the shares: the next run applies what the stop did
   */
  held: z.array(HeldExitSchema).default([]),
});
export type ExitsArtifact = z.infer<typeof ExitsArtifactSchema>;

const StrategyDaySchema = z.object({
  marketValue: z.number(),
  unrealisedPnl: z.number(),
  lots: z.number().int().nonnegative(),
});
export type StrategyDay = z.infer<typeof StrategyDaySchema>;

/** The day in numbers: what the email summarises and equity.csv lists. */
export const ReportArtifactSchema = z.object({
  date,
  equity: z.number(),
  cash: z.number(),
  /** Market value of the open lots at the close, dollars */
  exposure: z.number(),
  /** exposure / equity */
  heat: z.number(),
  regime: z.enum(['low', 'normal', 'high']),
  vix: z.number(),
  tradingState,
  tradingStateReason: z.string(),
  dailyReturn: z.number().nullable(),
  drawdown: z.number(),
  perStrategy: z.partialRecord(StrategyIdSchema, StrategyDaySchema),
  closedTrades: z.array(ClosedTradeSchema),
  entriesSent: z.number().int().nonnegative(),
  exitsSent: z.number().int().nonnegative(),
  inactiveStrategies: z.partialRecord(StrategyIdSchema, z.string()),
  /** Degraded inputs and anomalies, said out loud: warm-up, backfilled days, failed strategies */
  alerts: z.array(z.string()),
  /**
   * The equal-weight universe's return that day (price return, the mean of its symbols'), the
   * email chart's benchmark; null without a close before (a row written before it was recorded)
   */
  benchmarkReturn: z.number().nullable().default(null),
});
export type ReportArtifact = z.infer<typeof ReportArtifactSchema>;

/**
 * The newest trading date whose run opened the venue's sessions, and which run did: the venue is
 * past every earlier date, whose run would book fills and marks from after its close.
 */
export const VenueOpenedSchema = z.object({ tradingDate: date, runId: id });
export type VenueOpened = z.infer<typeof VenueOpenedSchema>;

/** The claim on a trading date: one run at a time, and never a second completed run. */
export const RunRecordSchema = z.object({
  tradingDate: date,
  status: z.enum(['running', 'succeeded', 'failed']),
  runId: id,
  startedAt: z.iso.datetime(),
  /** A running record older than this is abandoned (the execution died without its Catch) */
  leaseUntil: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  /** Runs of this date before the current one, oldest first */
  previousRuns: z.array(z.object({ runId: id, status: z.string() })),
  error: z.string().nullable(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** HALTED by a person or the circuit-breaker alarm: entries stop until someone resumes. */
export const TradingControlSchema = z.object({
  state: z.enum(['ACTIVE', 'HALTED']),
  by: z.string(),
  at: z.iso.datetime(),
  reason: z.string(),
});
export type TradingControl = z.infer<typeof TradingControlSchema>;

/** Which emails a date's runs sent, so a retried report sends nothing new. */
export const EmailLogSchema = z.object({
  sent: z.array(z.object({ kind: z.string(), runId: id, where: z.string() })),
});
export type EmailLog = z.infer<typeof EmailLogSchema>;
