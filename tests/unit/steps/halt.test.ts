import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InMemoryStateStore } from '../../../shared/backtest/simulated/in-memory.js';
import { emailSettings } from '../../../shared/domain/config.js';
import type { PendingEntry, Portfolio } from '../../../shared/domain/portfolio/portfolio.js';
import type {
  Broker,
  EmailMessage,
  Mailer,
  Order,
  OrderStatus,
} from '../../../shared/ports/index.js';
import {
  AlarmEventSchema,
  type AlarmMessage,
  alarmsOf,
  breachingValue,
} from '../../../shared/steps/alarm-event.js';
import { haltOnAlarm } from '../../../shared/steps/breaker.js';
import { TradingControlSchema } from '../../../shared/steps/documents.js';
import {
  cancelPendingEntries,
  readTradingState,
  resumeTrading,
  setTradingState,
} from '../../../shared/steps/halt.js';
import { aConfig, aLot } from '../../fixtures/builders.js';

const sample = alarmsOf(
  AlarmEventSchema.parse(JSON.parse(readFileSync('events/halt/daily-loss-alarm.json', 'utf8'))),
)[0]!;

const anEntry = (symbol: string): PendingEntry => ({
  intent: 'entry',
  clientOrderId: `2023-07-03-${symbol}-buy-entry`,
  decisionDate: '2023-07-03',
  symbol,
  qty: 10,
  strategy: 'ml-momentum',
  stopOrderId: `2023-07-03-${symbol}-sell-stop`,
  stopPrice: 90,
  targetPrice: null,
});

const aPortfolio = (overrides: Partial<Portfolio> = {}): Portfolio => ({
  lots: [aLot({ symbol: 'MSFT', stopOrderId: '2023-06-15-MSFT-sell-stop' })],
  pending: [anEntry('AAPL'), anEntry('AMZN')],
  tradingState: 'ACTIVE',
  previousEquity: 100_000,
  peakEquity: 100_000,
  lastRunDate: '2023-07-03',
  ...overrides,
});

// A venue that knows orders by id and their status; cancel is what Alpaca's does to an open order,
// and to one whose cancel is pending: waited until it completes
class FakeBroker implements Pick<Broker, 'getOrder' | 'cancelOrder'> {
  readonly statuses = new Map<string, OrderStatus>();
  cancels = 0;
  constructor(orders: Record<string, OrderStatus>) {
    for (const [id, status] of Object.entries(orders)) this.statuses.set(id, status);
  }
  #order(id: string): Order | undefined {
    const status = this.statuses.get(id);
    return status && ({ clientOrderId: id, status } as Order);
  }
  async getOrder(id: string) {
    return this.#order(id);
  }
  async cancelOrder(id: string) {
    this.cancels += 1;
    const status = this.statuses.get(id);
    if (status === 'open' || status === 'pending_cancel') this.statuses.set(id, 'canceled');
    return this.#order(id);
  }
}

class Outbox implements Mailer {
  readonly sent: EmailMessage[] = [];
  async send(message: EmailMessage) {
    this.sent.push(message);
    return `outbox/${this.sent.length}`;
  }
}

async function aStore(portfolio: Portfolio = aPortfolio()) {
  const store = new InMemoryStateStore();
  await store.replace('portfolio/2023-07-03', portfolio);
  return store;
}

describe('the alarm notification', () => {
  it('reads the tripping datapoint out of CloudWatch’s reason', () => {
    expect(breachingValue(sample)).toBe(-2.4137);
    expect(breachingValue({ ...sample, NewStateReason: 'set by hand' })).toBeNull();
  });

  it('names the bad field of a message that is not an alarm', () => {
    const parsed = AlarmEventSchema.safeParse({
      Records: [{ EventSource: 'aws:sns', Sns: { Message: '{"AlarmName":"x"}' } }],
    });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(
      'Records.0.Sns.Message.AlarmArn',
    );
  });
});

describe('setTradingState', () => {
  it('keeps the first halt’s who, when and why when halted again', async () => {
    const store = await aStore();
    const first = {
      state: 'HALTED' as const,
      by: 'alice',
      at: '2023-07-03T20:00:00.000Z',
      reason: 'a',
    };

    expect((await setTradingState(store, first)).changed).toBe(true);
    const again = await setTradingState(store, { ...first, by: 'bob', reason: 'b' });

    expect(again).toEqual({ changed: false, control: first });
    expect((await store.get('control/trading-state', TradingControlSchema))?.version).toBe(1);
  });
});

describe('cancelPendingEntries', () => {
  it('cancels the open entries only, leaves stops alone and says what each was', async () => {
    const store = await aStore();
    const broker = new FakeBroker({
      '2023-07-03-AAPL-buy-entry': 'open',
      '2023-07-03-AMZN-buy-entry': 'filled',
      '2023-06-15-MSFT-sell-stop': 'open',
    });

    const { asOf, entries } = await cancelPendingEntries(store, broker as unknown as Broker);

    expect(asOf).toBe('2023-07-03');
    expect(entries.map((e) => [e.symbol, e.outcome])).toEqual([
      ['AAPL', 'canceled'],
      ['AMZN', 'already filled'],
    ]);
    expect(broker.statuses.get('2023-06-15-MSFT-sell-stop')).toBe('open');
    expect(broker.cancels).toBe(1);
  });
});

describe('cancelPendingEntries with a cancel already pending', () => {
  it('waits on it through the broker instead of calling the entry done', async () => {
    const store = await aStore();
    const broker = new FakeBroker({
      '2023-07-03-AAPL-buy-entry': 'pending_cancel',
      '2023-07-03-AMZN-buy-entry': 'expired',
    });

    const { entries } = await cancelPendingEntries(store, broker as unknown as Broker);

    expect(entries.map((e) => [e.symbol, e.outcome])).toEqual([
      ['AAPL', 'canceled'],
      ['AMZN', 'already expired'],
    ]);
  });
});

describe('haltOnAlarm', () => {
  const deps = async (broker: FakeBroker | Error, portfolio?: Portfolio) => ({
    store: await aStore(portfolio),
    broker: async () => {
      if (broker instanceof Error) throw broker;
      return broker as unknown as Broker;
    },
    mailer: new Outbox(),
    email: emailSettings(aConfig()),
  });

  it('halts, cancels and mails once however often the notification is delivered', async () => {
    const broker = new FakeBroker({ '2023-07-03-AAPL-buy-entry': 'open' });
    const d = await deps(broker);

    const first = await haltOnAlarm(sample, d);
    const second = await haltOnAlarm(sample, d);

    expect(first).toMatchObject({
      halted: true,
      tradingDate: '2023-07-03',
      write: { changed: true },
    });
    expect(second).toMatchObject({ halted: true, write: { changed: false }, email: 'outbox/1' });
    expect(d.mailer.sent.map((m) => [m.kind, m.subject])).toEqual([
      ['halt', 'Trading bot 2023-07-03: TRADING HALTED by the circuit breaker'],
    ]);
    expect(d.mailer.sent[0]?.text).toMatch(/AAPL buy 10 \(2023-07-03-AAPL-buy-entry\): canceled/);
  });

  it('writes HALTED and mails the failure when the venue cannot be reached, then throws', async () => {
    const d = await deps(new Error('broker down'));

    await expect(haltOnAlarm(sample, d)).rejects.toThrow('broker down');

    expect((await readTradingState(d.store)).state).toBe('HALTED');
    expect(d.mailer.sent[0]?.text).toMatch(
      /could not be asked to cancel the open entries: Error: broker down/,
    );
  });

  it('does nothing for a state that is not ALARM', async () => {
    const d = await deps(new FakeBroker({}));

    const outcome = await haltOnAlarm({ ...sample, NewStateValue: 'OK' } as AlarmMessage, d);

    expect(outcome.halted).toBe(false);
    expect(await d.store.get('control/trading-state', TradingControlSchema)).toBeUndefined();
    expect(d.mailer.sent).toEqual([]);
  });
});

describe('resumeTrading', () => {
  it('restores ACTIVE with who and when, and clears a carried drawdown halt', async () => {
    const store = await aStore(aPortfolio({ tradingState: 'HALTED' }));
    await setTradingState(store, {
      state: 'HALTED',
      by: 'x',
      at: '2023-07-03T20:00:00.000Z',
      reason: 'x',
    });

    const resumed = await resumeTrading(store, {
      by: 'alice',
      at: '2023-07-05T13:00:00.000Z',
      reason: 'looked',
    });

    expect(resumed).toMatchObject({ changed: true, portfolioCleared: '2023-07-03' });
    expect(await readTradingState(store)).toMatchObject({
      state: 'ACTIVE',
      why: 'resumed by alice at 2023-07-05T13:00:00.000Z: looked',
      carried: { date: '2023-07-03', state: 'ACTIVE' },
    });
  });

  it('changes nothing on a bot that was never halted', async () => {
    const store = await aStore();

    expect(
      await resumeTrading(store, { by: 'a', at: '2023-07-05T13:00:00.000Z', reason: 'r' }),
    ).toEqual({
      changed: false,
      control: null,
      portfolioCleared: null,
    });
  });
});
