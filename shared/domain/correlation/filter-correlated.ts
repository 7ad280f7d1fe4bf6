import { STRATEGY_IDS } from '../config.js';
import type { Signal, StrategyId } from '../model.js';

export type FilterRejection = 'DUPLICATE_SYMBOL' | 'CORRELATED' | 'CORRELATION_UNKNOWN';

export interface FilterResult {
  readonly accepted: Signal[];
  readonly rejected: {
    readonly signal: Signal;
    readonly reason: FilterRejection;
    readonly detail: string;
  }[];
}

const strategyRank = (id: StrategyId) => STRATEGY_IDS.indexOf(id);

/** Best first: higher confidence, then a fixed strategy order and the symbol, so ties are deterministic. */
export function compareSignals(a: Signal, b: Signal): number {
  return (
    b.confidence - a.confidence ||
    strategyRank(a.strategy) - strategyRank(b.strategy) ||
    (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)
  );
}

/**
 * Keeps one signal per symbol (the most confident) and rejects a signal whose return correlation
 * with any other symbol held, or accepted earlier today, exceeds the limit. A second lot in a held
 * symbol is left to the per-symbol position limit. Unknown correlation (too little history) rejects.
 */
export function filterCorrelated(
  signals: readonly Signal[],
  heldSymbols: ReadonlySet<string>,
  correlationOf: (a: string, b: string) => number,
  maxCorrelation: number,
): FilterResult {
  const rejected: FilterResult['rejected'] = [];
  const bestPerSymbol = new Map<string, Signal>();
  for (const signal of [...signals].sort(compareSignals)) {
    const best = bestPerSymbol.get(signal.symbol);
    if (best === undefined) bestPerSymbol.set(signal.symbol, signal);
    else
      rejected.push({
        signal,
        reason: 'DUPLICATE_SYMBOL',
        detail: `${best.strategy} ranks higher`,
      });
  }

  const accepted: Signal[] = [];
  const compareWith = [...heldSymbols];
  for (const signal of bestPerSymbol.values()) {
    let verdict: { reason: FilterRejection; detail: string } | null = null;
    for (const other of compareWith) {
      if (other === signal.symbol) continue;
      const rho = correlationOf(signal.symbol, other);
      if (Number.isNaN(rho)) {
        verdict = { reason: 'CORRELATION_UNKNOWN', detail: `no correlation with ${other} yet` };
        break;
      }
      if (rho > maxCorrelation) {
        verdict = { reason: 'CORRELATED', detail: `correlation ${rho.toFixed(3)} with ${other}` };
        break;
      }
    }
    if (verdict) rejected.push({ signal, reason: verdict.reason, detail: verdict.detail });
    else {
      accepted.push(signal);
      compareWith.push(signal.symbol);
    }
  }
  return { accepted, rejected };
}
