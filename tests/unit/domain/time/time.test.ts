import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import { assertIsoDate, newYorkTime, periodKey } from '../../../../shared/domain/time.js';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('newYorkTime', () => {
  it.each([
    { date: '2023-07-03', hhmm: '16:15', utc: '2023-07-03T20:15:00.000Z' }, // EDT
    { date: '2023-01-03', hhmm: '16:15', utc: '2023-01-03T21:15:00.000Z' }, // EST
    { date: '2023-07-03', hhmm: '09:30', utc: '2023-07-03T13:30:00.000Z' },
    { date: '2023-12-29', hhmm: '23:59', utc: '2023-12-30T04:59:00.000Z' }, // the next UTC day
    { date: '2023-06-30', hhmm: '00:00', utc: '2023-06-30T04:00:00.000Z' },
  ])('$date $hhmm in New York is $utc', ({ date, hhmm, utc }) => {
    expect(newYorkTime(date, hhmm).toISOString()).toBe(utc);
  });

  it.each([
    // 2023: clocks go forward on 12 March and back on 5 November
    { date: '2023-03-11', hhmm: '16:15', utc: '2023-03-11T21:15:00.000Z' },
    { date: '2023-03-12', hhmm: '01:59', utc: '2023-03-12T06:59:00.000Z' },
    { date: '2023-03-12', hhmm: '03:00', utc: '2023-03-12T07:00:00.000Z' },
    { date: '2023-03-12', hhmm: '16:15', utc: '2023-03-12T20:15:00.000Z' },
    { date: '2023-11-04', hhmm: '16:15', utc: '2023-11-04T20:15:00.000Z' },
    { date: '2023-11-05', hhmm: '00:30', utc: '2023-11-05T04:30:00.000Z' },
    { date: '2023-11-05', hhmm: '02:00', utc: '2023-11-05T07:00:00.000Z' },
    { date: '2023-11-05', hhmm: '16:15', utc: '2023-11-05T21:15:00.000Z' },
    // 2026: 1 March and 1 November are Sundays, so the change days are 8 March and 1 November
    { date: '2026-03-07', hhmm: '16:15', utc: '2026-03-07T21:15:00.000Z' },
    { date: '2026-03-08', hhmm: '16:15', utc: '2026-03-08T20:15:00.000Z' },
    { date: '2026-10-31', hhmm: '16:15', utc: '2026-10-31T20:15:00.000Z' },
    { date: '2026-11-01', hhmm: '16:15', utc: '2026-11-01T21:15:00.000Z' },
  ])('on a daylight-saving change, $date $hhmm is $utc', ({ date, hhmm, utc }) => {
    expect(newYorkTime(date, hhmm).toISOString()).toBe(utc);
  });

  it('agrees with the IANA time zone at the open and close of every day from 2007 to 2030', () => {
    const newYork = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    const wallClock = (instant: Date) => {
      const p = Object.fromEntries(newYork.formatToParts(instant).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
    };

    const mismatches: string[] = [];
    for (let t = Date.UTC(2007, 0, 1); t <= Date.UTC(2030, 11, 31); t += DAY) {
      for (const hhmm of ['09:30', '16:00']) {
        const shown = wallClock(newYorkTime(isoDay(t), hhmm));
        if (shown !== `${isoDay(t)} ${hhmm}`) mismatches.push(`${isoDay(t)} ${hhmm} -> ${shown}`);
      }
    }

    expect(mismatches).toEqual([]);
  });

  it.each(['2023-02-30', '2023-7-3'])('throws InvalidInputError for the date %s', (date) => {
    expect(() => newYorkTime(date, '16:15')).toThrow(InvalidInputError);
  });

  it.each(['24:00', '16:60', '9:30', '16:5', '16-15', '16:15:00', ' 16:15', '1a:15', ''])(
    'throws InvalidInputError for the time %j',
    (hhmm) => {
      expect(() => newYorkTime('2023-07-03', hhmm)).toThrow(
        `time must be HH:MM (24-hour), got "${hhmm}"`,
      );
    },
  );

  it('accepts the ends of the day', () => {
    expect(newYorkTime('2023-07-03', '00:00').toISOString()).toBe('2023-07-03T04:00:00.000Z');
    expect(newYorkTime('2023-07-03', '23:59').toISOString()).toBe('2023-07-04T03:59:00.000Z');
  });
});

describe('periodKey', () => {
  it.each([
    { date: '2023-07-03', key: '2023-07' },
    { date: '2023-01-01', key: '2023-01' },
    { date: '2023-12-31', key: '2023-12' },
  ])('monthly: $date -> $key', ({ date, key }) => {
    expect(periodKey(date, 'monthly')).toBe(key);
  });

  it.each([
    { date: '2023-01-01', key: '2023-Q1' },
    { date: '2023-03-31', key: '2023-Q1' },
    { date: '2023-04-01', key: '2023-Q2' },
    { date: '2023-06-30', key: '2023-Q2' },
    { date: '2023-07-01', key: '2023-Q3' },
    { date: '2023-09-30', key: '2023-Q3' },
    { date: '2023-10-01', key: '2023-Q4' },
    { date: '2023-12-31', key: '2023-Q4' },
  ])('quarterly: $date -> $key', ({ date, key }) => {
    expect(periodKey(date, 'quarterly')).toBe(key);
  });

  it.each([
    { date: '2021-01-01', key: '2020-W53' }, // Friday: its Thursday is 2020-12-31
    { date: '2021-01-03', key: '2020-W53' },
    { date: '2021-01-04', key: '2021-W01' },
    { date: '2024-12-29', key: '2024-W52' },
    { date: '2024-12-30', key: '2025-W01' }, // Monday of the week holding 2025-01-02
    { date: '2025-01-05', key: '2025-W01' },
    { date: '2019-12-30', key: '2020-W01' },
    { date: '2023-01-01', key: '2022-W52' }, // Sunday ends the week before
    { date: '2023-01-02', key: '2023-W01' },
    { date: '2015-12-31', key: '2015-W53' },
    { date: '2016-01-03', key: '2015-W53' },
    { date: '2026-01-01', key: '2026-W01' }, // Thursday: its own year's week 1
    { date: '2027-01-01', key: '2026-W53' },
    { date: '2023-07-03', key: '2023-W27' },
  ])('weekly: $date -> $key', ({ date, key }) => {
    expect(periodKey(date, 'weekly')).toBe(key);
  });

  it('starts a new ISO week on each Monday and only then, numbering weeks 1, 2, … each year', () => {
    const problems: string[] = [];
    let previous = periodKey('1999-12-31', 'weekly');
    for (let t = Date.UTC(2000, 0, 1); t <= Date.UTC(2030, 11, 31); t += DAY) {
      const key = periodKey(isoDay(t), 'weekly');
      const isMonday = new Date(t).getUTCDay() === 1;
      if ((key !== previous) !== isMonday) problems.push(`${isoDay(t)}: ${previous} -> ${key}`);
      if (key !== previous) {
        const [year, week] = key.split('-W').map(Number) as [number, number];
        const [prevYear, prevWeek] = previous.split('-W').map(Number) as [number, number];
        const next =
          (year === prevYear && week === prevWeek + 1) ||
          (year === prevYear + 1 && week === 1 && (prevWeek === 52 || prevWeek === 53));
        if (!next) problems.push(`${isoDay(t)}: ${previous} -> ${key}`);
      }
      previous = key;
    }

    expect(problems).toEqual([]);
  });
});

describe('assertIsoDate', () => {
  it.each(['2023-07-03', '2024-02-29', '2000-02-29', '2023-12-31', '2023-01-01', '0100-01-01'])(
    'returns the real date %s',
    (date) => {
      expect(assertIsoDate(date)).toBe(date);
    },
  );

  it.each([
    '2023-02-30',
    '2023-02-29',
    '1900-02-29',
    '2023-04-31',
    '2023-1-5',
    '2023-01-5',
    '23-01-05',
    '2023-13-01',
    '2023-00-10',
    '2023-01-00',
    '2023-01-32',
    '2023/01/05',
    '2023-01-05T00:00:00Z',
    ' 2023-01-05',
    '2023-01-05 ',
    '2023-0a-05',
    '+023-01-05',
    '2023_01-05',
    '0050-01-05',
    '',
  ])('rejects %j', (date) => {
    expect(() => assertIsoDate(date)).toThrow(InvalidInputError);
  });

  it('names the value and what it was for', () => {
    expect(() => assertIsoDate('2023-1-5', 'tradingDate')).toThrow(
      'tradingDate must be a date YYYY-MM-DD, got "2023-1-5"',
    );
  });
});
