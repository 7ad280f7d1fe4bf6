import type { ClosedTrade } from '../model.js';

/** Trade-based metrics; dollar amounts are net of commissions, returns are fractions of entry notional. */
export interface TradeStats {
  readonly trades: number;
  /** Share of trades with pnl > 0; a break-even trade counts as a trade but neither a win nor a loss */
  readonly winRate: number | null;
  /** Gross profit / gross loss; null without losing trades, 0 with losses but no wins */
  readonly profitFactor: number | null;
  readonly avgWin: number | null;
  /** Negative */
  readonly avgLoss: number | null;
  readonly avgWinReturn: number | null;
  /** Negative */
  readonly avgLossReturn: number | null;
}

/** Win rate, profit factor and average win and loss of closed trades, in one pass. */
export function tradeStats(trades: readonly ClosedTrade[]): TradeStats {
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0; // Kept positive
  let winReturns = 0;
  let lossReturns = 0;
  for (const trade of trades) {
    const notional = Math.abs(trade.qty * trade.entryPrice);
    if (trade.pnl > 0) {
      wins++;
      grossProfit += trade.pnl;
      winReturns += trade.pnl / notional;
    } else if (trade.pnl < 0) {
      losses++;
      grossLoss -= trade.pnl;
      lossReturns += trade.pnl / notional;
    }
  }
  return {
    trades: trades.length,
    winRate: trades.length > 0 ? wins / trades.length : null,
    profitFactor: losses > 0 ? grossProfit / grossLoss : null,
    avgWin: wins > 0 ? grossProfit / wins : null,
    avgLoss: losses > 0 ? -grossLoss / losses : null,
    avgWinReturn: wins > 0 ? winReturns / wins : null,
    avgLossReturn: losses > 0 ? lossReturns / losses : null,
  };
}
