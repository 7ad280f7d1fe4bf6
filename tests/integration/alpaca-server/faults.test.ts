import {
  ApiError,
  AuthError,
  FetchError,
  NotFoundError,
  RateLimitError,
} from '@alpacahq/alpaca-trade-api/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlpacaTestServer,
  alpacaClientFor,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';

const SUBMIT = { method: 'POST', path: '/v2/orders' } as const;
const entry = (clientOrderId: string) =>
  ({ symbol: 'AAPL', qty: 5, side: 'buy', clientOrderId }) as const;

let server: AlpacaTestServer;
let alpaca: ReturnType<typeof alpacaClientFor>;
beforeEach(async () => {
  server = await startAlpacaServer({ date: '2023-06-14', at: '17:00' });
  alpaca = alpacaClientFor(server);
});
afterEach(() => server.close());

const ordersWith = (clientOrderId: string) =>
  server.orders().filter((order) => order.client_order_id === clientOrderId);

describe('a connection dropped around a submit', () => {
  it('after processing: the client sees a hang-up, the server holds exactly one order', async () => {
    // Prepare
    server.faults.dropNext({ ...SUBMIT, when: 'after' });
    // Act
    const submit = alpaca.trading.orders.market(entry('drop-after'));
    await expect(submit).rejects.toBeInstanceOf(FetchError);
    const found = await alpaca.trading.orders.getOrderByClientOrderId({
      clientOrderId: 'drop-after',
    });
    const resubmit = alpaca.trading.orders.market(entry('drop-after'));
    // Assess: the SDK never replays a POST, and a blind resubmit is refused
    await expect(resubmit).rejects.toMatchObject({ status: 422 });
    expect(found).toMatchObject({ clientOrderId: 'drop-after', status: 'accepted' });
    expect(ordersWith('drop-after')).toHaveLength(1);
    expect(server.requests(SUBMIT).map((r) => [r.outcome, r.status])).toEqual([
      ['dropped-after', 200],
      ['answered', 422],
    ]);
  });

  it('before processing: nothing was stored and the lookup says so', async () => {
    // Prepare
    server.faults.dropNext({ ...SUBMIT, when: 'before' });
    // Act
    await expect(alpaca.trading.orders.market(entry('drop-before'))).rejects.toBeInstanceOf(
      FetchError,
    );
    const lookup = alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'drop-before' });
    await expect(lookup).rejects.toBeInstanceOf(NotFoundError);
    const retried = await alpaca.trading.orders.market(entry('drop-before'));
    // Assess
    expect(retried.status).toBe('accepted');
    expect(ordersWith('drop-before')).toHaveLength(1);
  });

  it('a response slower than the client timeout: the order exists all the same', async () => {
    // Prepare
    server.faults.delayNext(300, { ...SUBMIT, when: 'after' });
    const impatient = alpacaClientFor(server, { timeoutMs: 100 });
    // Act
    await expect(impatient.trading.orders.market(entry('slow'))).rejects.toBeInstanceOf(FetchError);
    // Assess
    expect(ordersWith('slow')).toHaveLength(1);
  });

  it('a request held before processing: the order appears after the client gave up', async () => {
    // Prepare
    server.faults.delayNext(500, { ...SUBMIT, when: 'before' });
    const impatient = alpacaClientFor(server, { timeoutMs: 50 });
    // Act
    await expect(impatient.trading.orders.market(entry('late'))).rejects.toBeInstanceOf(FetchError);
    const soon = ordersWith('late').length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Assess: one lookup miss after a timeout proves nothing
    expect(soon).toBe(0);
    expect(ordersWith('late')).toHaveLength(1);
  });
});

describe('server errors', () => {
  it('a 5xx burst on a read: the SDK retries GETs and gets through', async () => {
    // Prepare
    server.faults.failNext(2, { method: 'GET', path: '/v2/account', status: 503 });
    // Act
    const account = await alpaca.trading.account.getAccount();
    // Assess
    expect(account.cash).toBe('100000');
    expect(server.requests({ path: '/v2/account' }).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('a 500 on a submit before processing: not retried, nothing stored', async () => {
    // Prepare
    server.faults.failNext(1, SUBMIT);
    // Act
    const submit = alpaca.trading.orders.market(entry('fail-before'));
    // Assess
    await expect(submit).rejects.toMatchObject({
      name: 'ApiError',
      status: 500,
      code: 50010000,
      message: 'internal server error',
    });
    expect(server.requests(SUBMIT)).toHaveLength(1);
    expect(server.orders()).toEqual([]);
  });

  it('a 500 on a submit after processing: the order was created anyway', async () => {
    // Prepare
    server.faults.failNext(1, { ...SUBMIT, when: 'after' });
    // Act
    const submit = alpaca.trading.orders.market(entry('fail-after'));
    // Assess
    await expect(submit).rejects.toBeInstanceOf(ApiError);
    expect(ordersWith('fail-after')).toHaveLength(1);
  });
});

describe('limits and credentials', () => {
  it('answers 429 past the limit, with the X-RateLimit headers the SDK reads', async () => {
    // Prepare
    const limited = await startAlpacaServer({ date: '2023-06-14', rateLimit: { limit: 2 } });
    const client = alpacaClientFor(limited, { retry: false });
    await client.trading.account.getAccount();
    await client.trading.account.getAccount();
    // Act
    const third = client.trading.account.getAccount();
    // Assess
    await expect(third).rejects.toBeInstanceOf(RateLimitError);
    const error = (await third.catch((e: unknown) => e)) as RateLimitError;
    expect(error).toMatchObject({ status: 429, code: 42910000, message: 'rate limit exceeded' });
    expect(error.rateLimit).toEqual({ limit: 2, remaining: 0, reset: expect.any(Date) });
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(61_000);
    // Market data is counted apart, as Alpaca counts each API
    await expect(client.marketData.collectNews({ symbols: 'AAPL' })).resolves.toBeDefined();
    await limited.close();
  });

  it("starts a new window when its own clock moves a day on: a test's runs a day apart share none", async () => {
    // Prepare
    const limited = await startAlpacaServer({ date: '2023-06-14', rateLimit: { limit: 2 } });
    const client = alpacaClientFor(limited, { retry: false });
    await client.trading.account.getAccount();
    await client.trading.account.getAccount();
    // Act
    limited.advanceTo('2023-06-15', '17:00');
    // Assess
    await expect(client.trading.account.getAccount()).resolves.toBeDefined();
    await client.trading.account.getAccount();
    await expect(client.trading.account.getAccount()).rejects.toBeInstanceOf(RateLimitError);
    await limited.close();
  });

  it('answers 401 to wrong keys', async () => {
    // Prepare
    const stranger = alpacaClientFor({ ...server, secret: 'wrong' });
    // Act
    const account = stranger.trading.account.getAccount();
    // Assess
    await expect(account).rejects.toBeInstanceOf(AuthError);
    await expect(account).rejects.toMatchObject({ status: 401, code: 40110000 });
  });

  it('refuses a symbol told to fail at submit, and stores nothing', async () => {
    // Prepare
    server.faults.rejectSymbol('AAPL', { status: 403, message: 'asset is halted' });
    // Act
    const submit = alpaca.trading.orders.market(entry('halted'));
    // Assess
    await expect(submit).rejects.toMatchObject({ status: 403, message: 'asset is halted' });
    expect(server.orders()).toEqual([]);
  });
});
