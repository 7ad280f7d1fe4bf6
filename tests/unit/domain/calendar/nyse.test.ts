import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RulesCalendar } from '../../../../shared/adapters/rules-calendar.js';
import {
  isSession,
  nextSession,
  nyseDay,
  previousSession,
  sessionsBetween,
} from '../../../../shared/domain/calendar/nyse.js';
import { InvalidInputError } from '../../../../shared/domain/errors.js';

const earlyClosesBetween = (after: string, before: string) =>
  sessionsBetween(after, before).filter((date) => {
    const day = nyseDay(date);
    return day.open && day.earlyClose;
  });

describe('nyseDay', () => {
  it.each([
    { date: '2024-01-01', reason: "New Year's Day" },
    { date: '2023-01-02', reason: "New Year's Day" }, // Jan 1 was a Sunday
    { date: '2024-01-15', reason: 'Martin Luther King Jr. Day' },
    { date: '2000-01-17', reason: 'Martin Luther King Jr. Day' },
    { date: '2024-02-19', reason: "Washington's Birthday" },
    { date: '2000-04-21', reason: 'Good Friday' }, // Easter 23 April
    { date: '2008-03-21', reason: 'Good Friday' }, // Easter 23 March, near the earliest possible
    { date: '2011-04-22', reason: 'Good Friday' }, // Easter 24 April, near the latest possible
    { date: '2024-03-29', reason: 'Good Friday' },
    { date: '2025-04-18', reason: 'Good Friday' },
    { date: '2038-04-23', reason: 'Good Friday' }, // Easter 25 April, the latest possible
    { date: '2024-05-27', reason: 'Memorial Day' },
    { date: '2021-05-31', reason: 'Memorial Day' },
    { date: '2024-06-19', reason: 'Juneteenth National Independence Day' },
    { date: '2022-06-20', reason: 'Juneteenth National Independence Day' }, // June 19 a Sunday
    { date: '2027-06-18', reason: 'Juneteenth National Independence Day' }, // June 19 a Saturday
    { date: '2024-07-04', reason: 'Independence Day' },
    { date: '2020-07-03', reason: 'Independence Day' }, // July 4 a Saturday
    { date: '2021-07-05', reason: 'Independence Day' }, // July 4 a Sunday
    { date: '2024-09-02', reason: 'Labor Day' },
    { date: '2024-11-28', reason: 'Thanksgiving Day' },
    { date: '2018-11-22', reason: 'Thanksgiving Day' }, // the 4th Thursday at its earliest
    { date: '2024-12-25', reason: 'Christmas Day' },
    { date: '2021-12-24', reason: 'Christmas Day' }, // Dec 25 a Saturday
    { date: '2022-12-26', reason: 'Christmas Day' }, // Dec 25 a Sunday
    { date: '2001-09-11', reason: 'September 11 attacks' },
    { date: '2001-09-14', reason: 'September 11 attacks' },
    { date: '2004-06-11', reason: 'National Day of Mourning for President Ronald Reagan' },
    { date: '2007-01-02', reason: 'National Day of Mourning for President Gerald R. Ford' },
    { date: '2012-10-29', reason: 'Hurricane Sandy' },
    { date: '2012-10-30', reason: 'Hurricane Sandy' },
    { date: '2018-12-05', reason: 'National Day of Mourning for President George H.W. Bush' },
    { date: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter' },
  ])('$date is closed for $reason', ({ date, reason }) => {
    expect(nyseDay(date)).toEqual({ date, open: false, reason });
  });

  it.each([
    { date: '2024-01-06' },
    { date: '2024-01-07' },
    { date: '2022-01-01' }, // a holiday on a weekend is still a weekend
    { date: '2022-12-25' },
  ])('$date is a weekend', ({ date }) => {
    expect(nyseDay(date)).toEqual({ date, open: false, reason: 'weekend' });
  });

  it.each([
    { date: '2021-12-31' }, // Jan 1 2022 a Saturday: NYSE does not observe it on the Friday
    { date: '2022-01-03' }, // nor on the Monday
    { date: '2021-06-18' }, // Juneteenth closes the exchange only from 2022
    { date: '2022-12-23' }, // Christmas Eve a Saturday: the Friday before is a full day
    { date: '2020-07-02' }, // July 3 the observed holiday: July 2 is a full day
    { date: '2022-07-01' }, // July 4 a Monday: the Friday before is a full day
    { date: '2019-07-05' }, // since 2013 the Friday after a Thursday July 4 is a full day
    { date: '2002-07-03' }, // before 2013 a Wednesday July 3 was a full day
    { date: '2024-04-01' }, // Easter Monday
    { date: '2024-10-14' }, // Columbus Day
    { date: '2024-11-11' }, // Veterans Day
  ])('$date is a full session', ({ date }) => {
    expect(nyseDay(date)).toEqual({ date, open: true, closeTime: '16:00', earlyClose: false });
  });

  it.each([
    { date: '2023-07-03' },
    { date: '2023-11-24' },
    { date: '2024-12-24' },
    { date: '2019-12-24' },
    { date: '2020-11-27' },
    { date: '2013-07-03' }, // the first Wednesday July 3 to close early
    { date: '2002-07-05' }, // before 2013 a Thursday July 4 moved the early close to the Friday
    { date: '2003-12-26' }, // announced for that year only
  ])('$date closes early at 13:00', ({ date }) => {
    expect(nyseDay(date)).toEqual({ date, open: true, closeTime: '13:00', earlyClose: true });
  });

  it('closes early on exactly the days NYSE published for 2014 to 2026', () => {
    expect(earlyClosesBetween('2014-01-01', '2026-12-31')).toEqual([
      ...['2014-07-03', '2014-11-28', '2014-12-24'],
      ...['2015-11-27', '2015-12-24'], // July 4 a Saturday
      ...['2016-11-25'], // July 4 a Monday, Dec 24 a Saturday
      ...['2017-07-03', '2017-11-24'], // Dec 24 a Sunday
      ...['2018-07-03', '2018-11-23', '2018-12-24'],
      ...['2019-07-03', '2019-11-29', '2019-12-24'],
      ...['2020-11-27', '2020-12-24'], // July 4 a Saturday
      ...['2021-11-26'], // July 4 a Sunday, Dec 24 the observed Christmas
      ...['2022-11-25'], // July 4 a Monday, Dec 24 a Saturday
      ...['2023-07-03', '2023-11-24'], // Dec 24 a Sunday
      ...['2024-07-03', '2024-11-29', '2024-12-24'],
      ...['2025-07-03', '2025-11-28', '2025-12-24'],
      ...['2026-11-27', '2026-12-24'], // July 4 a Saturday
    ]);
  });

  it.each([
    { date: '2024-02-30' },
    { date: '2024-1-05' },
    { date: '20240105' },
    { date: '' },
    { date: '1999-12-31' }, // before the supported range
    { date: '2100-01-04' }, // after it
  ])('rejects "$date", naming it', ({ date }) => {
    expect(() => nyseDay(date)).toThrow(InvalidInputError);
    expect(() => nyseDay(date)).toThrow(`"${date}"`);
  });
});

describe('sessions', () => {
  it.each([
    { date: '2024-09-03', previous: '2024-08-30' }, // over Labor Day weekend
    { date: '2024-04-01', previous: '2024-03-28' }, // over Good Friday
    { date: '2024-07-04', previous: '2024-07-03' }, // from a holiday itself
    { date: '2024-01-08', previous: '2024-01-05' }, // over a plain weekend
    { date: '2024-01-09', previous: '2024-01-08' },
    { date: '2001-09-17', previous: '2001-09-10' }, // over the week of September 11
  ])('the session before $date is $previous', ({ date, previous }) => {
    expect(previousSession(date)).toBe(previous);
  });

  it.each([
    { date: '2024-08-30', next: '2024-09-03' },
    { date: '2022-12-23', next: '2022-12-27' }, // over Christmas observed on the Monday
    { date: '2024-07-03', next: '2024-07-05' },
    { date: '2012-10-26', next: '2012-10-31' }, // over Hurricane Sandy
  ])('the session after $date is $next', ({ date, next }) => {
    expect(nextSession(date)).toBe(next);
  });

  it('lists the sessions strictly between two dates, oldest first', () => {
    expect(sessionsBetween('2024-03-27', '2024-04-02')).toEqual(['2024-03-28', '2024-04-01']);
    expect(sessionsBetween('2024-03-28', '2024-03-28')).toEqual([]);
    expect(sessionsBetween('2024-04-02', '2024-03-27')).toEqual([]);
  });

  it('isSession is true on sessions only', () => {
    expect(isSession('2024-03-28')).toBe(true);
    expect(isSession('2024-03-29')).toBe(false);
  });

  it.each([
    { call: () => previousSession('2024-13-01'), named: '"2024-13-01"' },
    { call: () => nextSession('2024-02-30'), named: '"2024-02-30"' },
    { call: () => sessionsBetween('2024-01-01', '2024-1-31'), named: 'before must be' },
    { call: () => sessionsBetween('1999-12-31', '2000-01-10'), named: 'after must be' },
    { call: () => previousSession('2000-01-03'), named: '"2000-01-03"' }, // 1999 is unsupported
    { call: () => nextSession('2099-12-31'), named: '"2099-12-31"' },
  ])('rejects a bad or out-of-range date, naming it ($named)', ({ call, named }) => {
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow(named);
  });

  it('gives exactly the dates of the shipped VIX history, 2014-01-02 to 2023-12-29', () => {
    const csv = readFileSync(new URL('../../../../data/vix/daily.csv', import.meta.url), 'utf8');
    const [header, ...rows] = csv.trim().split('\n');
    expect(header?.startsWith('date,')).toBe(true);
    const vixDates = [...new Set(rows.map((row) => row.slice(0, row.indexOf(','))))].sort();

    expect(sessionsBetween('2014-01-01', '2023-12-30')).toEqual(vixDates);
  });
});

describe('RulesCalendar', () => {
  const calendar = new RulesCalendar();

  it('answers the Calendar port from the rules', async () => {
    expect(await calendar.day('2024-11-29')).toEqual(nyseDay('2024-11-29'));
    expect(await calendar.previousSession('2024-09-03')).toBe('2024-08-30');
    expect(await calendar.sessionsBetween('2024-03-27', '2024-04-02')).toEqual([
      '2024-03-28',
      '2024-04-01',
    ]);
  });

  it('rejects rather than throws on a bad date', async () => {
    await expect(calendar.day('2024-02-30')).rejects.toThrow(InvalidInputError);
  });
});
