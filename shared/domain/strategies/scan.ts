import { STRATEGY_IDS } from '../config.js';
import type { ExitDecision, Lot, RegimeName, Signal, StrategyId } from '../model.js';
import type { Strategy, StrategyContext } from './strategy.js';

/** What the strategies found at today's close. */
export interface EntryScan {
  readonly signals: Signal[];
  /** Strategies that did not look for entries today, and why */
  readonly inactive: Partial<Record<StrategyId, string>>;
  /** Strategies that threw today, with the error: their signals are dropped, the others go on */
  readonly failed: Partial<Record<StrategyId, string>>;
}

/** Which strategies may look for entries today. */
export interface EntryScanRules {
  readonly enabled: readonly StrategyId[];
  /** Today's volatility regime and the strategies it switches off */
  readonly regime: RegimeName;
  readonly regimeOff: readonly StrategyId[];
}

/**
 * Every enabled strategy not switched off today looks at every symbol it does not already hold,
 * in the fixed strategy order. A strategy that throws is reported and the others go on. Synchronous and pure, so that the runtime compiles this loop on its
 * own rather than inside each async step that calls it.
 */
export function scanEntries(
  strategies: Readonly<Record<StrategyId, Strategy>>,
  rules: EntryScanRules,
  context: StrategyContext,
  lots: readonly Lot[],
): EntryScan {
  const held = new Map<StrategyId, Set<string>>();
  for (const lot of lots)
    held.set(lot.strategy, (held.get(lot.strategy) ?? new Set()).add(lot.symbol));
  const inactive: EntryScan['inactive'] = {};
  const failed: EntryScan['failed'] = {};
  const signals: Signal[] = [];
  const symbols = context.features.symbols.length;
  for (const id of STRATEGY_IDS) {
    if (!rules.enabled.includes(id)) continue;
    if (rules.regimeOff.includes(id)) {
      inactive[id] = `off in the ${rules.regime} volatility regime`;
      continue;
    }
    const strategy = strategies[id];
    const reason = strategy.inactiveReason(context);
    if (reason !== null) {
      inactive[id] = reason;
      continue;
    }
    const heldByStrategy = held.get(id);
    const found: Signal[] = [];
    try {
      for (let s = 0; s < symbols; s++) {
        const signal = strategy.entry(context, s);
        if (signal && !heldByStrategy?.has(signal.symbol)) found.push(signal);
      }
    } catch (error) {
      failed[id] = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      continue;
    }
    signals.push(...found);
  }
  return { signals, inactive, failed };
}

/** The lots leaving one symbol at the next open, each with its exit. */
export interface SymbolExit {
  readonly symbol: string;
  readonly lots: readonly Lot[];
  /** decisions[i] is the exit of lots[i] */
  readonly decisions: readonly ExitDecision[];
}

/** Today's exits, lot by lot, and grouped by symbol in the order the lots first exit. */
export interface ExitPlan {
  readonly exits: ExitDecision[];
  /** lots[i] is the lot exits[i] sells */
  readonly lots: Lot[];
  readonly bySymbol: SymbolExit[];
}

/**
 * Each lot's exit at today's close: the optional profit target first, then its own strategy's
 * rule. `session` is the market state's session count; a lot's fill day counts as held session 1.
 */
export function planExits(
  strategies: Readonly<Record<StrategyId, Strategy>>,
  context: StrategyContext,
  lots: readonly Lot[],
  session: number,
  indexOf: (symbol: string) => number,
): ExitPlan {
  const close = context.features.close;
  const decided: { lot: Lot; exit: ExitDecision }[] = [];
  for (const lot of lots) {
    const s = indexOf(lot.symbol);
    const held = session - lot.entrySession + 1;
    const exit: ExitDecision | null =
      lot.targetPrice !== null && close[s]! >= lot.targetPrice
        ? {
            symbol: lot.symbol,
            strategy: lot.strategy,
            reason: 'target',
            detail: `close ${close[s]} ≥ target ${lot.targetPrice}`,
          }
        : strategies[lot.strategy].exit(lot, context, s, held);
    if (exit) decided.push({ lot, exit });
  }
  return exitPlanOf(decided);
}

/** The plan of these lots' exits, in this order: by lot, and grouped by symbol. */
export function exitPlanOf(decided: readonly { lot: Lot; exit: ExitDecision }[]): ExitPlan {
  const exits: ExitDecision[] = [];
  const lots: Lot[] = [];
  const bySymbol: { symbol: string; lots: Lot[]; decisions: ExitDecision[] }[] = [];
  for (const { lot, exit } of decided) {
    exits.push(exit);
    lots.push(lot);
    const group = bySymbol.find((g) => g.symbol === lot.symbol);
    if (group) {
      group.lots.push(lot);
      group.decisions.push(exit);
    } else bySymbol.push({ symbol: lot.symbol, lots: [lot], decisions: [exit] });
  }
  return { exits, lots, bySymbol };
}
