import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type CboeServer,
  shippedVixAsCboe,
  startCboeServer,
} from '../../../scripts/local/cboe-server.js';
import { CboeVixSource, cboeToCloseCsv } from '../../../shared/adapters/alpaca/cboe-vix.js';
import { InMemoryStateStore } from '../../../shared/backtest/simulated/in-memory.js';
import {
  DataValidationError,
  InvalidInputError,
  MarketDataUnavailableError,
} from '../../../shared/domain/errors.js';
import type { MarketHistory } from '../../../shared/domain/market/history.js';
import { VIX_MEMORY_KEY } from '../../../shared/ports/index.js';
import { rulesCalendar, shippedHistory } from './fixture.js';

const VixCloseSchema = z.object({ date: z.string(), close: z.number() });

let history: MarketHistory;
let cboe: CboeServer;
let full: string;
beforeAll(async () => {
  [history, full] = await Promise.all([shippedHistory(), shippedVixAsCboe()]);
  cboe = await startCboeServer(full);
});
afterAll(() => cboe.close());
beforeEach(() => {
  cboe.csv = full;
  cboe.failNext(0);
});

const shippedVix = (date: string) => history.vix[history.dates.indexOf(date)]!;

function source(memory?: InMemoryStateStore) {
  return new CboeVixSource({ calendar: rulesCalendar, url: cboe.url, ...(memory && { memory }) });
}

describe("CBOE's daily history", () => {
  it('reads the closes of the dates asked for, in one download', async () => {
    // Prepare
    const dates = ['2014-01-02', '2020-03-16', '2023-06-14', '2023-12-29'];
    const before = cboe.requests;
    // Act
    const readings = await source().closesOn(dates);
    // Assess
    expect(readings).toEqual(
      dates.map((date) => ({ close: shippedVix(date), asOf: date, stale: false })),
    );
    expect(cboe.requests - before).toBe(1);
  });

  it('stands in a close up to five sessions old, flagged stale', async () => {
    // Prepare: the 8th, 9th, 12th, 13th and 14th of June 2023 are the five sessions after the 7th
    cboe.csv = await shippedVixAsCboe('2023-06-07');
    // Act
    const [reading] = await source().closesOn(['2023-06-14']);
    // Assess
    expect(reading).toEqual({ close: shippedVix('2023-06-07'), asOf: '2023-06-07', stale: true });
  });

  it('refuses a close six sessions old, naming both dates', async () => {
    // Prepare
    cboe.csv = await shippedVixAsCboe('2023-06-06');
    // Act
    const read = source().closesOn(['2023-06-14']);
    // Assess
    await expect(read).rejects.toBeInstanceOf(InvalidInputError);
    await expect(read).rejects.toThrow(
      `VIX for 2023-06-14 is unavailable: the newest close in ${cboe.url} is from 2023-06-06, 6 sessions earlier (at most 5 may stand in)`,
    );
  });
});

describe('CBOE unavailable', () => {
  it('falls back to the remembered close, flagged stale', async () => {
    // Prepare: a good run on the 13th remembers its close
    cboe.csv = await shippedVixAsCboe('2023-06-13');
    const memory = new InMemoryStateStore();
    await source(memory).closesOn(['2023-06-13']);
    cboe.failNext(1, 503);
    // Act
    const [reading] = await source(memory).closesOn(['2023-06-14']);
    // Assess
    expect((await memory.get(VIX_MEMORY_KEY, VixCloseSchema))?.value).toEqual({
      date: '2023-06-13',
      close: shippedVix('2023-06-13'),
    });
    expect(reading).toEqual({ close: shippedVix('2023-06-13'), asOf: '2023-06-13', stale: true });
  });

  it('without a remembered close: MarketDataUnavailableError naming the URL and the status', async () => {
    // Prepare
    cboe.failNext(1, 503);
    // Act
    const read = source().closesOn(['2023-06-14']);
    // Assess: transient, the state machine may retry the step
    await expect(read).rejects.toBeInstanceOf(MarketDataUnavailableError);
    await expect(read).rejects.toThrow(
      `VIX: ${cboe.url} failed (HTTP 503 Service Unavailable) and no remembered close stands in for 2023-06-14`,
    );
  });

  it('a remembered close too old for the date is refused like a stale file', async () => {
    // Prepare
    const memory = new InMemoryStateStore();
    await memory.replace(VIX_MEMORY_KEY, { date: '2023-06-01', close: 15.65 });
    cboe.failNext(1, 500);
    // Act
    const read = source(memory).closesOn(['2023-06-14']);
    // Assess
    await expect(read).rejects.toThrow(
      /the newest close in the close remembered after .* is from 2023-06-01, 9 sessions earlier/,
    );
  });

  it('a corrupt file counts as unavailable, and the reason names its line', async () => {
    // Prepare
    cboe.csv = full.replace(/06\/14\/2023,[^\r]*/, '06/14/2023,13,14,12,-13.88');
    // Act
    const read = source().closesOn(['2023-06-14']);
    // Assess
    await expect(read).rejects.toBeInstanceOf(MarketDataUnavailableError);
    await expect(read).rejects.toThrow(/VIX_History\.csv:\d+: close must be positive \(-13\.88\)/);
  });
});

describe('cboeToCloseCsv', () => {
  it('keeps the line numbering and reorders MM/DD/YYYY', () => {
    expect(
      cboeToCloseCsv('DATE,OPEN,HIGH,LOW,CLOSE\r\n01/02/1990,17.24,17.24,17.24,17.24\r\n', 'f'),
    ).toBe('date,close\n1990-01-02,17.24\n');
  });

  it('refuses a file without DATE and CLOSE', () => {
    expect(() => cboeToCloseCsv('<html>maintenance</html>', 'f')).toThrow(DataValidationError);
  });
});
