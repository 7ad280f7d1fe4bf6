/**
 * An error the server answers with Alpaca's envelope, `{ code, message }` plus any extra fields
 * Alpaca sends beside them (`buying_power` on a refused buy, `available` on a refused sell).
 */
export class AlpacaHttpError extends Error {
  override name = 'AlpacaHttpError';
  readonly status: number;
  readonly code: number;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(status: number, code: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  /** The JSON body Alpaca sends. */
  body(): Record<string, unknown> {
    return { ...this.extra, code: this.code, message: this.message };
  }
}

// Alpaca's codes are the HTTP status followed by a five-digit reason
export const badRequest = (message: string) => new AlpacaHttpError(400, 40010000, message);
export const invalidParameter = (message: string) => new AlpacaHttpError(422, 40010001, message);
export const unprocessable = (message: string) => new AlpacaHttpError(422, 42210000, message);
export const notFound = (message: string) => new AlpacaHttpError(404, 40410000, message);
export const forbidden = (message: string, extra: Record<string, unknown> = {}) =>
  new AlpacaHttpError(403, 40310000, message, extra);
export const unauthorized = () => new AlpacaHttpError(401, 40110000, 'request is not authorized');

/** The envelope of an injected failure with any status (5xx, 503 maintenance, 429 …). */
export const statusError = (status: number, message?: string) =>
  new AlpacaHttpError(status, status * 100_000 + 10_000, message ?? defaultMessage(status));

function defaultMessage(status: number): string {
  if (status === 429) return 'rate limit exceeded';
  if (status === 503) return 'service unavailable';
  if (status >= 500) return 'internal server error';
  return `request failed with status ${status}`;
}
