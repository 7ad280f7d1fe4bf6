import { beforeAll, describe, expect, it, vi } from 'vitest';
import { HistoryCalendar } from '../../../shared/backtest/history-calendar.js';
import { HistoryMarketData } from '../../../shared/backtest/history-market-data.js';
import {
  InMemoryStateStore,
  SimulatedClock,
} from '../../../shared/backtest/simulated/in-memory.js';
import { SimulatedBroker } from '../../../shared/backtest/simulated/simulated-broker.js';
import { parseConfig } from '../../../shared/domain/config.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import { type EmailMessage, type Mailer, portfolioKey } from '../../../shared/ports/index.js';
import { PortfolioSchema, ReportArtifactSchema } from '../../../shared/steps/documents.js';
import { money } from '../../../shared/steps/email-layout.js';
import { pipeline } from '../../../shared/steps/pipeline.js';
import { report } from '../../../shared/steps/report.js';
import type { RunState, StepDeps } from '../../../shared/steps/types.js';
import { generateMarket } from '../../support/market-generator.js';

const config = parseConfig({
  strategies: { enabled: ['rsi-mean-reversion', 'ma-crossover', 'volatility-breakout'] },
  email: { subjectPrefix: '[test bot]', to: ['ops@example.com'] },
});

class CapturingMailer implements Mailer {
  readonly sent: EmailMessage[] = [];
  async send(message: EmailMessage): Promise<string> {
    this.sent.push(message);
    return `outbox/${message.tradingDate}-${message.kind}.eml`;
  }
}

let market: MarketHistory;
let deps: StepDeps;
let store: InMemoryStateStore;
let equityLists = 0;
let date = '';

// Runs the pipeline without a mailer, as the backtest does, until the books hold a few lots
beforeAll(async () => {
  market = generateMarket({ symbols: 8, days: 400, seed: 11 });
  const marketData = new HistoryMarketData(market);
  const broker = new SimulatedBroker(marketData, config.initialCapital, config.costs);
  store = new InMemoryStateStore();
  const list = store.list.bind(store);
  vi.spyOn(store, 'list').mockImplementation((series, schema) => {
    if (series === 'equity') equityLists += 1;
    return list(series, schema);
  });
  const clock = new SimulatedClock();
  deps = {
    config,
    marketData,
    broker,
    venue: broker,
    calendar: new HistoryCalendar(market.dates),
    store,
    mailer: null,
    clock,
    news: null,
    sentiment: null,
  };
  const steps = pipeline(deps);
  for (let d = 0; d < market.dates.length; d++) {
    date = market.dates[d]!;
    clock.setTradingDate(date);
    let state: RunState = { tradingDate: date, runId: 'test' };
    for (const step of steps) state = await step.run(state);
    const closing = await store.get(portfolioKey(date), PortfolioSchema);
    if (d >= 5 && (closing?.value.lots.length ?? 0) >= 2) return;
  }
  throw new Error('the books never held two lots');
});

describe('the report step and its email', () => {
  it('without a mailer builds nothing: the equity series is never read', () => {
    expect(equityLists).toBe(0);
  });

  it('with a mailer sends the day once, from the same numbers it stored', async () => {
    const mailer = new CapturingMailer();
    const step = report({ ...deps, mailer });
    const state: RunState = { tradingDate: date, runId: 'test' };

    await step(state);
    await step(state);

    expect(mailer.sent).toHaveLength(1);
    const [message] = mailer.sent as [EmailMessage];
    const stored = (await store.get(`equity/${date}`, ReportArtifactSchema))!.value;
    const closing = (await store.get(portfolioKey(date), PortfolioSchema))!.value;
    expect(message.subject.startsWith(`[test bot] ${date}`)).toBe(true);
    expect(message.subject).toContain(money(stored.equity));
    for (const part of [message.text, message.html]) {
      expect(part).toContain(money(stored.equity));
      expect(part).not.toMatch(/NaN|undefined/);
    }
    const lotRows = [...message.html.matchAll(/data-table="positions-[^"]+"[\s\S]*?<\/table>/g)]
      .map((table) => table[0].split('<tbody>')[1]!.match(/<tr>/g)?.length ?? 0)
      .reduce((sum, rows) => sum + rows, 0);
    expect(lotRows).toBe(closing.lots.length);
    for (const lot of closing.lots)
      expect(message.text).toContain(`  ${lot.symbol} ${lot.qty} sh:`);
  });

  it('attaches the equity chart as an inline PNG the HTML shows by content id', async () => {
    const mailer = new CapturingMailer();
    // A fresh date's log: the email of this date went already
    await store.replace(`run/${date}/email`, { sent: [] });

    await report({ ...deps, mailer })({ tradingDate: date, runId: 'test' });

    const [message] = mailer.sent as [EmailMessage];
    expect(message.images).toHaveLength(1);
    const [image] = message.images!;
    expect(image!.cid).toBe('equity-chart');
    expect([...image!.png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(message.html).toContain('src="cid:equity-chart"');
    expect(equityLists).toBeGreaterThan(0);
  });
});
