// Step Functions matches `name` in ErrorEquals, so every error sets it explicitly

/** Base of every failure the trading core expects and names. */
export class TradingError extends Error {
  override name = 'TradingError';
}

/** Market data that breaks a rule (bad row, gap, unsorted dates); names file, line and reason. */
export class DataValidationError extends TradingError {
  override name = 'DataValidationError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** A config that does not match the schema; the message lists each field path and what was expected. */
export class ConfigError extends TradingError {
  override name = 'ConfigError';
}

/** An input the pipeline cannot act on: a malformed event, a missing symbol, a NaN price. */
export class InvalidInputError extends TradingError {
  override name = 'InvalidInputError';
}

/** The broker could not be reached or answered with a transient failure; safe to retry reads. */
export class BrokerUnavailableError extends TradingError {
  override name = 'BrokerUnavailableError';
}

/** The broker refused an order; never retried blindly. */
export class OrderRejectedError extends TradingError {
  override name = 'OrderRejectedError';
}

/** Market data could not be fetched (network, throttling, a 5xx); safe to retry. */
export class MarketDataUnavailableError extends TradingError {
  override name = 'MarketDataUnavailableError';
}

/** The state store could not be reached or throttled the call; safe to retry: every step re-reads. */
export class StateUnavailableError extends TradingError {
  override name = 'StateUnavailableError';
}

/**
 * The mail service could not be reached or throttled the send; a retry may send the message twice
 * only if the first answer was lost after it was accepted, which costs an email, not an order.
 */
export class MailerUnavailableError extends TradingError {
  override name = 'MailerUnavailableError';
}

/**
 * Failures that are transient and that a step may repeat safely (every step re-reads its inputs and
 * looks an order up before sending it). The workflow retries these, and only these.
 */
export const TRANSIENT_ERRORS = [
  'BrokerUnavailableError',
  'MarketDataUnavailableError',
  'StateUnavailableError',
  'StateConflictError',
  'MailerUnavailableError',
] as const;
