/** Which requests a fault applies to: every one unless narrowed by method and path. */
export interface RequestMatch {
  readonly method?: string;
  /** An exact path (`/v2/orders`) or a pattern over it */
  readonly path?: string | RegExp;
}

export type FaultTiming = 'before' | 'after';

interface FailAction {
  readonly status: number;
  readonly message?: string;
  readonly when: FaultTiming;
  /** Sent with the failure, e.g. Retry-After on a 429 */
  readonly headers?: Readonly<Record<string, string>>;
}

interface Rule<T> {
  readonly match: RequestMatch;
  remaining: number;
  readonly action: T;
}

/** The faults one request meets; each matching rule is spent once. */
export interface RequestFaults {
  readonly fail?: FailAction;
  readonly dropBefore: boolean;
  readonly dropAfter: boolean;
  readonly delayBeforeMs: number;
  readonly delayAfterMs: number;
}

export interface SymbolRejection {
  /** `submit`: the POST is refused (no order stored); `fill`: accepted, then rejected at the open */
  readonly at: 'submit' | 'fill';
  readonly status: number;
  readonly message: string;
}

export interface PartialFillRule {
  readonly symbol?: string;
  readonly clientOrderId?: string;
  /** Share of the remaining quantity that fills (rounded down, at least one share) */
  readonly fraction?: number;
  /** Or an exact number of shares */
  readonly qty?: number;
  /** How many fills it shapes; 1 unless told */
  readonly count?: number;
}

/**
 * Fault injection: transport faults (fail, drop, delay) matched against requests, and venue
 * faults (a refused symbol, a partial fill) consulted by the order logic.
 */
export class Faults {
  #fail: Rule<FailAction>[] = [];
  #drop: Rule<FaultTiming>[] = [];
  #delay: Rule<{ ms: number; when: FaultTiming }>[] = [];
  #rejections = new Map<string, SymbolRejection>();
  #partials: Rule<PartialFillRule>[] = [];

  /**
   * The next `count` matching requests answer `status` (500 unless told) with Alpaca's envelope:
   * `before` processing them (nothing happened) unless told `after` (an order was created), with
   * any `headers` added to the answer.
   */
  failNext(count: number, options: RequestMatch & Partial<FailAction> = {}): this {
    const { status = 500, message, when = 'before', headers, ...match } = options;
    this.#fail.push({ match, remaining: count, action: { status, message, when, headers } });
    return this;
  }

  /**
   * The next matching requests lose their connection: `before` the server processes them (nothing
   * happened), or `after` (the order exists, but the client sees a socket hang-up).
   */
  dropNext(options: RequestMatch & { when: FaultTiming; count?: number }): this {
    const { when, count = 1, ...match } = options;
    this.#drop.push({ match, remaining: count, action: when });
    return this;
  }

  /** The next matching requests wait `ms` before being processed, or before being answered. */
  delayNext(ms: number, options: RequestMatch & { when?: FaultTiming; count?: number } = {}): this {
    const { when = 'before', count = 1, ...match } = options;
    this.#delay.push({ match, remaining: count, action: { ms, when } });
    return this;
  }

  /** Refuses orders in a symbol until cleared: at submit (422 unless told) or at the open. */
  rejectSymbol(symbol: string, options: Partial<SymbolRejection> = {}): this {
    const at = options.at ?? 'submit';
    const message = options.message ?? `order for ${symbol} rejected by the test server`;
    this.#rejections.set(symbol, { at, status: options.status ?? 422, message });
    return this;
  }

  /** Fills matching orders only in part (day orders then expire with the rest unfilled). */
  partialFill(rule: PartialFillRule): this {
    this.#partials.push({ match: {}, remaining: rule.count ?? 1, action: rule });
    return this;
  }

  /** Removes every fault. */
  clear(): void {
    this.#fail = [];
    this.#drop = [];
    this.#delay = [];
    this.#rejections.clear();
    this.#partials = [];
  }

  take(method: string, path: string): RequestFaults {
    const fail = spend(this.#fail, method, path);
    const drop = spend(this.#drop, method, path);
    const delay = spend(this.#delay, method, path);
    return {
      ...(fail && { fail }),
      dropBefore: drop === 'before',
      dropAfter: drop === 'after',
      delayBeforeMs: delay?.when === 'before' ? delay.ms : 0,
      delayAfterMs: delay?.when === 'after' ? delay.ms : 0,
    };
  }

  rejection(symbol: string, at: SymbolRejection['at']): SymbolRejection | undefined {
    const rejection = this.#rejections.get(symbol);
    return rejection?.at === at ? rejection : undefined;
  }

  /** The shares a fill of `remaining` may take, after any partial-fill rule that matches. */
  fillQty(order: { symbol: string; clientOrderId: string }, remaining: number): number {
    const rule = this.#partials.find(
      ({ action, remaining: left }) =>
        left > 0 &&
        (action.symbol === undefined || action.symbol === order.symbol) &&
        (action.clientOrderId === undefined || action.clientOrderId === order.clientOrderId),
    );
    if (!rule) return remaining;
    rule.remaining--;
    const { qty, fraction = 0.5 } = rule.action;
    const shares = qty ?? Math.floor(remaining * fraction);
    return Math.min(remaining, Math.max(1, shares));
  }
}

/** True when a request matches. */
export function matches(match: RequestMatch, method: string, path: string): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? match.path === path : match.path.test(path);
}

function spend<T>(rules: Rule<T>[], method: string, path: string): T | undefined {
  const rule = rules.find((r) => r.remaining > 0 && matches(r.match, method, path));
  if (!rule) return undefined;
  rule.remaining--;
  return rule.action;
}

/**
 * A fixed-window limit per API (trading, market data), as Alpaca counts 200 requests a minute. A
 * window ends when a minute passes on either clock: the wall's, or the server's own, which a test
 * moves a day ahead between runs, so runs a day apart never share a minute, as they would not at
 * Alpaca.
 */
export class RateLimiter {
  readonly limit: number;
  readonly #windowMs: number;
  #windowStart = 0;
  #serverWindowStart = 0;
  #used = 0;

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.#windowMs = windowMs;
  }

  /**
   * Counts a request at real time `nowMs` and server time `serverMs`; remaining < 0 means it is
   * over the limit.
   */
  hit(nowMs: number, serverMs: number): { remaining: number; resetSeconds: number } {
    if (
      nowMs >= this.#windowStart + this.#windowMs ||
      serverMs >= this.#serverWindowStart + this.#windowMs
    ) {
      this.#windowStart = nowMs;
      this.#serverWindowStart = serverMs;
      this.#used = 0;
    }
    this.#used++;
    return {
      remaining: this.limit - this.#used,
      resetSeconds: Math.ceil((this.#windowStart + this.#windowMs) / 1000),
    };
  }
}
