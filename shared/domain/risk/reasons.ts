import type { RiskRejection } from '../model.js';

/**
 * What each risk check's reason code means, for a person reading the report. A Record, so a new
 * code does not compile until it has its sentence
 */
const IN_WORDS: Readonly<Record<RiskRejection, string>> = {
  TRADING_STATE: 'Trading is not active today (halted or reducing): exits only, no new entries.',
  NOT_TRADABLE:
    'The venue lists the symbol inactive or not tradable today: no new position, its exits still run.',
  STALE_VIX:
    'The VIX close is too many sessions old (CBOE unavailable): the regime may be stale, so no new entries until it is fresh.',
  ZERO_SIZE: 'The order sized to zero shares: the risk budget buys less than one share.',
  MAX_POSITIONS: 'The limit on open positions was already reached.',
  MAX_POSITIONS_PER_SYMBOL: 'The limit on positions in this symbol was already reached.',
  MAX_HEAT: "The order would have taken heat above the regime's cap.",
  INSUFFICIENT_CASH: 'Not enough cash left for the order and its costs.',
};

/** A risk rejection's reason code as a short sentence. */
export const riskReasonInWords = (reason: RiskRejection): string => IN_WORDS[reason];
