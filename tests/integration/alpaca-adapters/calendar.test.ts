import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlpacaTestServer,
  startAlpacaServer,
} from '../../../scripts/local/alpaca-server/index.js';
import { AlpacaCalendar } from '../../../shared/adapters/alpaca/calendar.js';
import { addDays } from '../../../shared/adapters/alpaca/dates.js';
import { BrokerUnavailableError, ConfigError } from '../../../shared/domain/errors.js';
import { rulesCalendar, shippedHistory, testClient } from './fixture.js';

const CALENDAR = { method: 'GET', path: '/v2/calendar' } as const;

let server: AlpacaTestServer;
let calendar: AlpacaCalendar;
beforeAll(async () => {
  server = await startAlpacaServer({ history: await shippedHistory(), date: '2023-06-30' });
  calendar = new AlpacaCalendar(testClient(server));
});
afterAll(() => server.close());
afterEach(() => server.faults.clear());

const datesFrom = (first: string, days: number) =>
  Array.from({ length: days }, (_, k) => addDays(first, k));

describe("Alpaca's calendar agrees with the NYSE rules", () => {
  it.each([
    ['June and July 2023', datesFrom('2023-06-01', 61)],
    ['the late-2023 holidays', datesFrom('2023-11-20', 14)],
    ['early 2023', ['2023-01-02', '2023-01-16', '2023-02-20', '2023-04-07']],
  ])('day() over %s: sessions, early closes, weekends and named holidays', async (_, dates) => {
    // Act
    const days = await Promise.all(dates.map((date) => calendar.day(date)));
    // Assess
    expect(days).toEqual(await Promise.all(dates.map((date) => rulesCalendar.day(date))));
  });

  it('names the early close and the holiday around the Fourth of July', async () => {
    expect(await calendar.day('2023-07-03')).toEqual({
      date: '2023-07-03',
      open: true,
      closeTime: '13:00',
      earlyClose: true,
    });
    expect(await calendar.day('2023-07-04')).toEqual({
      date: '2023-07-04',
      open: false,
      reason: 'Independence Day',
    });
  });

  it('sessionsBetween over a year, strictly inside, in one request', async () => {
    // Prepare
    const before = server.requests(CALENDAR).length;
    // Act
    const sessions = await calendar.sessionsBetween('2022-12-30', '2024-01-02');
    // Assess
    expect(sessions).toEqual(await rulesCalendar.sessionsBetween('2022-12-30', '2024-01-02'));
    expect(sessions).toHaveLength(250);
    expect(server.requests(CALENDAR).length - before).toBe(1);
    expect(await calendar.sessionsBetween('2023-06-16', '2023-06-20')).toEqual([]);
  });

  it.each(['2023-06-20', '2023-07-05', '2023-06-12', '2023-11-27', '2024-01-02'])(
    'previousSession(%s)',
    async (date) => {
      expect(await calendar.previousSession(date)).toBe(await rulesCalendar.previousSession(date));
    },
  );
});

describe('failures', () => {
  it('a 5xx past the retries is BrokerUnavailableError (the trading API serves the calendar)', async () => {
    // Prepare
    server.faults.failNext(10, { ...CALENDAR, status: 502 });
    const before = server.requests(CALENDAR).length;
    // Act
    const read = calendar.day('2023-06-14');
    // Assess
    await expect(read).rejects.toBeInstanceOf(BrokerUnavailableError);
    await expect(read).rejects.toThrow(
      /^Alpaca GET \/v2\/calendar: 502 internal server error \(request id/,
    );
    expect(server.requests(CALENDAR).length - before).toBe(4);
  });

  it('wrong keys: ConfigError', async () => {
    // Act
    const read = new AlpacaCalendar(testClient(server, { keyId: 'someone-else' })).day(
      '2023-06-14',
    );
    // Assess
    await expect(read).rejects.toBeInstanceOf(ConfigError);
  });
});
