import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AlpacaHttpError, badRequest, notFound, statusError, unauthorized } from './errors.js';
import { type Faults, RateLimiter, type RequestFaults } from './faults.js';
import { findRoute, type Reply } from './router.js';
import { marketDataRoutes } from './routes-market-data.js';
import { tradingRoutes } from './routes-trading.js';
import type { Venue } from './venue.js';

export type RateLimitOption = { readonly limit: number; readonly windowMs?: number } | false;

export interface RecordedRequest {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body, parsed; the raw text when it is not JSON; undefined without one */
  readonly body: unknown;
  /** Server clock when it arrived */
  readonly at: Date;
  /** The status answered, or that would have been for a connection dropped after processing */
  status: number | null;
  outcome: 'pending' | 'answered' | 'dropped-before' | 'dropped-after';
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

/** The request pipeline: record, transport faults, rate limit, auth, route, Alpaca's envelope. */
export class Handler {
  readonly keyId: string;
  readonly secret: string;
  readonly recorded: RecordedRequest[] = [];
  readonly #venue: Venue;
  readonly #faults: Faults;
  readonly #limiters: { trading?: RateLimiter; data?: RateLimiter };

  constructor(
    venue: Venue,
    faults: Faults,
    auth: { keyId: string; secret: string; rateLimit: RateLimitOption },
  ) {
    this.#venue = venue;
    this.#faults = faults;
    this.keyId = auth.keyId;
    this.secret = auth.secret;
    const { rateLimit } = auth;
    this.#limiters = rateLimit
      ? {
          trading: new RateLimiter(rateLimit.limit, rateLimit.windowMs ?? 60_000),
          data: new RateLimiter(rateLimit.limit, rateLimit.windowMs ?? 60_000),
        }
      : {};
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {}); // a client that gave up (a timeout) closed the socket
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = {
      seq: this.recorded.length + 1,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseBody(raw),
      at: this.#venue.now,
      status: null,
      outcome: 'pending',
    };
    this.recorded.push(record);
    const faults = this.#faults.take(record.method, record.path);
    if (faults.delayBeforeMs > 0) await sleep(faults.delayBeforeMs);
    if (faults.dropBefore) {
      record.outcome = 'dropped-before';
      req.socket.destroy();
      return;
    }
    const answer = this.#answer(req, record, url.searchParams, raw, faults);
    record.status = answer.status;
    if (faults.delayAfterMs > 0) await sleep(faults.delayAfterMs);
    if (faults.dropAfter) {
      record.outcome = 'dropped-after';
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, answer.headers).end(answer.text);
    record.outcome = 'answered';
  }

  #answer(
    req: IncomingMessage,
    record: RecordedRequest,
    query: URLSearchParams,
    raw: string,
    faults: RequestFaults,
  ): Answer {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=UTF-8',
      'X-Request-ID': record.seq.toString(16).padStart(32, '0'),
    };
    const data = record.path.startsWith('/v2/stocks') || record.path.startsWith('/v1beta1/');
    const limiter = data ? this.#limiters.data : this.#limiters.trading;
    const usage = limiter?.hit(Date.now(), this.#venue.now.getTime());
    if (limiter && usage) {
      headers['X-RateLimit-Limit'] = String(limiter.limit);
      headers['X-RateLimit-Remaining'] = String(Math.max(0, usage.remaining));
      headers['X-RateLimit-Reset'] = String(usage.resetSeconds);
    }
    const { fail } = faults;
    if (fail?.headers) Object.assign(headers, fail.headers);
    const reply = (): Reply => {
      if (fail?.when === 'before') throw statusError(fail.status, fail.message);
      const keyId = req.headers['apca-api-key-id'];
      const secret = req.headers['apca-api-secret-key'];
      if (keyId !== this.keyId || secret !== this.secret) throw unauthorized();
      if (usage && usage.remaining < 0) throw statusError(429);
      const found = findRoute(data ? marketDataRoutes : tradingRoutes, record.method, record.path);
      if (found === undefined) throw notFound('endpoint not found');
      if (found === 'method') throw new AlpacaHttpError(405, 40510000, 'method not allowed');
      if (raw !== '' && record.body === raw) throw badRequest('request body format is invalid');
      this.#venue.settle();
      const params = found.params;
      return found.route.handle({ venue: this.#venue, query, body: record.body, params });
    };
    const answer = envelope(reply, headers);
    if (fail?.when !== 'after') return answer;
    // Failing after processing: what the request did stays done, the client sees only the error
    const error = statusError(fail.status, fail.message);
    return { status: error.status, headers, text: JSON.stringify(error.body()) };
  }
}

// A reply as Alpaca writes it, errors in its `{ code, message }` envelope
function envelope(reply: () => Reply, headers: Record<string, string>): Answer {
  try {
    const { status, body } = reply();
    return { status, headers, text: body === undefined ? '' : JSON.stringify(body) };
  } catch (error) {
    if (error instanceof AlpacaHttpError) {
      return { status: error.status, headers, text: JSON.stringify(error.body()) };
    }
    // A bug here, or a test asking for what the data lacks: say so rather than hang the client
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, headers, text: JSON.stringify({ code: 50010000, message }) };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
