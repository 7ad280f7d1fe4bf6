import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../../../../shared/domain/errors.js';
import {
  formatDateKey,
  parseCloseCsv,
  parseDateKey,
  parseDecimal,
  parsePricesCsv,
  parseSymbolsCsv,
  parseVixCsv,
} from '../../../../shared/domain/market/parse-csv.js';

const HEADER = 'date,symbol,open,high,low,close,volume,adj_close';
const GOOD_1 = '2014-01-02,AAPL,19.845715,19.893929,19.715,19.754642,234684800,17.296659';
const GOOD_2 = '2014-01-03,AAPL,19.745001,19.775,19.301071,19.320715,392467600,16.916725';

/** A price file whose third line (after the header and one good row) is `row`. */
const withThirdLine = (row: string) => [HEADER, GOOD_1, row, ''].join('\n');

function parseError(parse: () => unknown): DataValidationError {
  try {
    parse();
  } catch (error) {
    if (error instanceof DataValidationError) return error;
    throw error;
  }
  throw new Error('expected a DataValidationError');
}

describe('parsePricesCsv', () => {
  it('reads rows column by column with their lines, symbols and date keys', () => {
    // Act
    const rows = parsePricesCsv(
      [HEADER, GOOD_1, GOOD_2, '2014-01-02,MSFT,37.35,37.4,37.1,37.16,30632200,31.88'].join('\n'),
      'p.csv',
    );
    // Assess
    expect(rows.length).toBe(3);
    expect(rows.symbols).toEqual(['AAPL', 'MSFT']);
    expect([...rows.symbolIndex]).toEqual([0, 0, 1]);
    expect([...rows.dates]).toEqual([20140102, 20140103, 20140102]);
    expect([...rows.lines]).toEqual([2, 3, 4]);
    expect(rows.close[0]).toBe(19.754642);
    expect(rows.volume[1]).toBe(392467600);
    expect(rows.adjClose?.[2]).toBe(31.88);
  });

  it('reads CRLF line endings, a UTF-8 BOM and a missing final newline like the plain file', () => {
    // Prepare
    const plain = parsePricesCsv([HEADER, GOOD_1, GOOD_2, ''].join('\n'), 'p.csv');
    // Act
    const crlf = parsePricesCsv(`\ufeff${[HEADER, GOOD_1, GOOD_2].join('\r\n')}\r\n`, 'p.csv');
    const unterminated = parsePricesCsv([HEADER, GOOD_1, GOOD_2].join('\r\n'), 'p.csv');
    // Assess
    for (const rows of [crlf, unterminated]) {
      expect(rows.length).toBe(2);
      expect([...rows.lines]).toEqual([2, 3]);
      expect(rows.high).toEqual(plain.high);
      expect(rows.adjClose).toEqual(plain.adjClose);
    }
  });

  it('reads the UTF-8 bytes of a file exactly like its text', () => {
    // Prepare
    const text = `\ufeff${[HEADER, GOOD_1, GOOD_2, '2014-01-02,MSFT,37.35,37.4,37.1,37.16,30632200,31.88'].join('\r\n')}`;
    // Act
    const fromText = parsePricesCsv(text, 'p.csv');
    const fromBuffer = parsePricesCsv(Buffer.from(text), 'p.csv');
    // A view into a larger buffer, as a file read into a pool can be
    const padded = new TextEncoder().encode(`xx${text}`);
    const fromView = parsePricesCsv(padded.subarray(2), 'p.csv');
    // Assess
    for (const rows of [fromBuffer, fromView]) expect(rows).toEqual(fromText);
  });

  it('decodes symbols and the fields an error quotes as UTF-8', () => {
    // Act
    const rows = parsePricesCsv(
      Buffer.from([HEADER, '2014-01-02,ÅB€,1,1,1,1,0,1', '2014-01-03,ÅB€,1,1,1,1,0,1'].join('\n')),
      'p.csv',
    );
    const error = parseError(() =>
      parsePricesCsv(
        Buffer.from(withThirdLine('2014-01-03,AAPL,19.7,19.8,19.3,19.4,4€,17')),
        'p.csv',
      ),
    );
    // Assess
    expect(rows.symbols).toEqual(['ÅB€']);
    expect([...rows.symbolIndex]).toEqual([0, 0]);
    expect(error.message).toBe('p.csv:3: volume is not a number ("4€")');
  });

  it('locates columns by name, ignores extra columns and treats adj_close as optional', () => {
    // Act
    const rows = parsePricesCsv(
      'note,close,volume,low,high,open,symbol,date\nx,10,5,9,11,10.5,ABC,2020-02-03\n',
      'p.csv',
    );
    // Assess
    expect(rows.open[0]).toBe(10.5);
    expect(rows.high[0]).toBe(11);
    expect(rows.low[0]).toBe(9);
    expect(rows.close[0]).toBe(10);
    expect(rows.volume[0]).toBe(5);
    expect(rows.adjClose).toBeUndefined();
  });

  it('reads quoted fields, exponents and long mantissas exactly as Number does', () => {
    // Act
    const rows = parsePricesCsv(
      withThirdLine('"2014-01-03","AAPL","19.7","2e1",19.3000000000000000001,1.93e1,"0",17'),
      'p.csv',
    );
    // Assess
    expect(rows.open[1]).toBe(19.7);
    expect(rows.high[1]).toBe(20);
    expect(rows.low[1]).toBe(19.3);
    expect(rows.close[1]).toBe(19.3);
    expect(rows.volume[1]).toBe(0);
  });

  it('accepts a 29 February in a leap year and restarts the date order for each symbol', () => {
    // Act
    const rows = parsePricesCsv(
      [
        HEADER,
        '2016-02-29,AAA,1,1,1,1,0,1',
        '2016-03-01,AAA,1,1,1,1,0,1',
        '2016-02-29,BBB,1,1,1,1,0,1',
      ].join('\n'),
      'p.csv',
    );
    // Assess
    expect([...rows.dates]).toEqual([20160229, 20160301, 20160229]);
  });

  it('names a missing required column', () => {
    // Act
    const error = parseError(() =>
      parsePricesCsv('date,symbol,open,high,low,close\n', 'data/prices/daily.csv'),
    );
    // Assess
    expect(error.message).toBe(
      'data/prices/daily.csv:1: missing required column volume (header: date,symbol,open,high,low,close)',
    );
  });

  it.each([
    {
      rule: 'too few fields',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,19.3,100',
      reason: 'expected 8 fields, found 7',
    },
    { rule: 'too many fields', row: `${GOOD_2},1`, reason: 'expected 8 fields, found 9' },
    { rule: 'an empty line', row: '', reason: 'empty line' },
    { rule: 'an empty date', row: ',AAPL,19.7,19.8,19.3,19.3,100,17', reason: 'date is empty' },
    {
      rule: 'an empty symbol',
      row: '2014-01-03,,19.7,19.8,19.3,19.3,100,17',
      reason: 'symbol is empty',
    },
    {
      rule: 'an empty number',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,,100,17',
      reason: 'close is empty',
    },
    {
      rule: 'text',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,abc,100,17',
      reason: 'close is not a number ("abc")',
    },
    {
      rule: 'NaN',
      row: '2014-01-03,AAPL,NaN,19.8,19.3,19.4,100,17',
      reason: 'open is not a number ("NaN")',
    },
    {
      rule: 'Infinity',
      row: '2014-01-03,AAPL,19.7,Infinity,19.3,19.4,100,17',
      reason: 'high is not a number ("Infinity")',
    },
    {
      rule: 'an overflow',
      row: '2014-01-03,AAPL,19.7,1e999,19.3,19.4,100,17',
      reason: 'high is not finite ("1e999")',
    },
    {
      rule: 'hex',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,19.4,0x10,17',
      reason: 'volume is not a number ("0x10")',
    },
    {
      rule: 'spaces',
      row: '2014-01-03,AAPL,19.7,19.8, 19.3,19.4,100,17',
      reason: 'low is not a number (" 19.3")',
    },
    {
      rule: 'a thousands separator',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,19.4,"1,000",17',
      reason: 'volume is not a number ("1,000")',
    },
    {
      rule: 'a slashed date',
      row: '2014/01/03,AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'date is not a valid YYYY-MM-DD date ("2014/01/03")',
    },
    {
      rule: 'an unpadded date',
      row: '2014-1-03,AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'date is not a valid YYYY-MM-DD date ("2014-1-03")',
    },
    {
      rule: 'month 13',
      row: '2014-13-03,AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'date is not a valid YYYY-MM-DD date ("2014-13-03")',
    },
    {
      rule: '30 February',
      row: '2014-02-30,AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'date is not a valid YYYY-MM-DD date ("2014-02-30")',
    },
    {
      rule: '29 February in a common year',
      row: '2014-02-29,AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'date is not a valid YYYY-MM-DD date ("2014-02-29")',
    },
    {
      rule: 'a timestamp',
      row: '2014-01-03T00:00,AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'date is not a valid YYYY-MM-DD date ("2014-01-03T00:00")',
    },
    {
      rule: 'a zero open',
      row: '2014-01-03,AAPL,0,19.8,19.3,19.4,100,17',
      reason: 'open must be positive (0)',
    },
    {
      rule: 'a negative close',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,-19.4,100,17',
      reason: 'close must be positive (-19.4)',
    },
    {
      rule: 'a zero low',
      row: '2014-01-03,AAPL,19.7,19.8,0,19.4,100,17',
      reason: 'low must be positive (0)',
    },
    {
      rule: 'a zero adj_close',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,19.4,100,0',
      reason: 'adj_close must be positive (0)',
    },
    {
      rule: 'a negative volume',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,19.4,-1,17',
      reason: 'volume must not be negative (-1)',
    },
    {
      rule: 'high below low',
      row: '2014-01-03,AAPL,19.5,19.3,19.8,19.4,100,17',
      reason: 'high (19.3) is below low (19.8)',
    },
    {
      rule: 'open above high',
      row: '2014-01-03,AAPL,19.9,19.8,19.3,19.4,100,17',
      reason: 'open (19.9) is outside [low, high] = [19.3, 19.8]',
    },
    {
      rule: 'open below low',
      row: '2014-01-03,AAPL,19.2,19.8,19.3,19.4,100,17',
      reason: 'open (19.2) is outside [low, high] = [19.3, 19.8]',
    },
    {
      rule: 'close above high',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,19.81,100,17',
      reason: 'close (19.81) is outside [low, high] = [19.3, 19.8]',
    },
    {
      rule: 'close below low',
      row: '2014-01-03,AAPL,19.7,19.8,19.3,19.29,100,17',
      reason: 'close (19.29) is outside [low, high] = [19.3, 19.8]',
    },
    {
      rule: 'a duplicate date',
      row: '2014-01-02,AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'duplicate date 2014-01-02 for AAPL (also on line 2)',
    },
    {
      rule: 'an earlier date',
      row: '2013-12-31,AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'date 2013-12-31 for AAPL is before 2014-01-02 on line 2: dates must be ascending',
    },
    {
      rule: 'an unterminated quote',
      row: '2014-01-03,"AAPL,19.7,19.8,19.3,19.4,100,17',
      reason: 'unterminated quoted field',
    },
    {
      rule: 'text after a closing quote',
      row: '2014-01-03,"AAPL"x,19.7,19.8,19.3,19.4,100,17',
      reason: 'unexpected text after a closing quote',
    },
  ])('rejects $rule with file, line and reason', ({ row, reason }) => {
    // Act
    const error = parseError(() => parsePricesCsv(withThirdLine(row), 'data/prices/daily.csv'));
    // Assess
    expect(error.message).toBe(`data/prices/daily.csv:3: ${reason}`);
    expect(error).toMatchObject({
      name: 'DataValidationError',
      file: 'data/prices/daily.csv',
      line: 3,
      reason,
    });
  });

  it('counts lines the same way with CRLF line endings', () => {
    // Act
    const error = parseError(() =>
      parsePricesCsv([HEADER, GOOD_1, GOOD_2, GOOD_2].join('\r\n'), 'data/prices/daily.csv'),
    );
    // Assess
    expect(error.message).toBe(
      'data/prices/daily.csv:4: duplicate date 2014-01-03 for AAPL (also on line 3)',
    );
  });

  it('rejects a file without a header', () => {
    // Act
    const error = parseError(() => parsePricesCsv('', 'p.csv'));
    // Assess
    expect(error.message).toBe('p.csv:1: file is empty (no header)');
  });
});

describe('parseVixCsv and parseCloseCsv', () => {
  it('reads OHLC rows without a symbol', () => {
    // Act
    const vix = parseVixCsv(
      'date,open,high,low,close\r\n2014-01-02,14.32,14.59,14.0,14.23\r\n',
      'v.csv',
    );
    // Assess
    expect(vix).toMatchObject({ file: 'v.csv', length: 1 });
    expect([vix.open[0], vix.high[0], vix.low[0], vix.close[0]]).toEqual([14.32, 14.59, 14, 14.23]);
  });

  it.each([
    {
      rows: ['2014-01-03,14,15,13,14', '2014-01-02,14,15,13,14'],
      reason: 'date 2014-01-02 is before 2014-01-03 on line 2: dates must be ascending',
    },
    {
      rows: ['2014-01-03,14,15,13,14', '2014-01-03,14,15,13,14'],
      reason: 'duplicate date 2014-01-03 (also on line 2)',
    },
    {
      rows: ['2014-01-03,14,15,13,14', '2014-01-06,14,13,15,14'],
      reason: 'high (13) is below low (15)',
    },
  ])('rejects VIX rows: $reason', ({ rows, reason }) => {
    // Act
    const error = parseError(() =>
      parseVixCsv(['date,open,high,low,close', ...rows].join('\n'), 'data/vix/daily.csv'),
    );
    // Assess
    expect(error.message).toBe(`data/vix/daily.csv:3: ${reason}`);
  });

  it('reads a close-only file and rejects a non-positive close', () => {
    // Act
    const series = parseCloseCsv('date,close\n2014-01-02,1831.98\n', 's.csv');
    const error = parseError(() => parseCloseCsv('date,close\n2014-01-02,0\n', 's.csv'));
    // Assess
    expect(series.close[0]).toBe(1831.98);
    expect(error.message).toBe('s.csv:2: close must be positive (0)');
  });
});

describe('parseSymbolsCsv', () => {
  it('reads quoted fields with commas, escaped quotes and line breaks', () => {
    // Act
    const { rows } = parseSymbolsCsv(
      'symbol,name,sector,sub_industry\r\nAAPL,Apple Inc.,Information Technology,"Technology Hardware, Storage & Peripherals"\r\nXYZ,"The ""X"" Co.\nHoldings",Energy,\r\nMSFT,Microsoft,Information Technology,Systems Software\r\n',
      'data/symbols.csv',
    );
    // Assess
    expect(rows).toEqual([
      {
        symbol: 'AAPL',
        name: 'Apple Inc.',
        sector: 'Information Technology',
        subIndustry: 'Technology Hardware, Storage & Peripherals',
        line: 2,
      },
      { symbol: 'XYZ', name: 'The "X" Co.\nHoldings', sector: 'Energy', subIndustry: '', line: 3 },
      {
        symbol: 'MSFT',
        name: 'Microsoft',
        sector: 'Information Technology',
        subIndustry: 'Systems Software',
        line: 5,
      },
    ]);
  });

  it('reads names in UTF-8, from text or bytes alike', () => {
    // Prepare
    const text = 'symbol,name,sector\nNESN,"Nestlé, S.A.",Consumer Staples\n';
    // Act
    const fromText = parseSymbolsCsv(text, 'data/symbols.csv');
    const fromBytes = parseSymbolsCsv(Buffer.from(text), 'data/symbols.csv');
    // Assess
    expect(fromText.rows[0]?.name).toBe('Nestlé, S.A.');
    expect(fromBytes).toEqual(fromText);
  });

  it.each([
    {
      text: 'symbol,name\nAAPL,Apple\n',
      reason: '1: missing required column sector (header: symbol,name)',
    },
    {
      text: 'symbol,name,sector\nAAPL,Apple,IT\nAAPL,Apple,IT\n',
      reason: '3: duplicate symbol AAPL (also on line 2)',
    },
    {
      text: 'symbol,name,sector\nAAPL,"Apple, Inc",IT,x\n',
      reason: '2: expected 3 fields, found 4',
    },
    { text: 'symbol,name,sector\n,Apple,IT\n', reason: '2: symbol is empty' },
  ])('rejects $reason', ({ text, reason }) => {
    // Act
    const error = parseError(() => parseSymbolsCsv(text, 'data/symbols.csv'));
    // Assess
    expect(error.message).toBe(`data/symbols.csv:${reason}`);
  });
});

describe('parseDecimal and date keys', () => {
  it('parses any double printed by JavaScript back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        // String(-0) is '0'
        expect(parseDecimal(String(value))).toBe(value === 0 ? 0 : value);
      }),
    );
  });

  it('agrees with Number on fixed-point decimals of up to 20 digits', () => {
    const decimal = fc
      .tuple(fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[0-9]{0,8}$/))
      .map(([whole, fraction]) => (fraction ? `${whole}.${fraction}` : whole));
    fc.assert(
      fc.property(decimal, (text) => {
        expect(parseDecimal(text)).toBe(Number(text));
      }),
    );
  });

  it.each(['', '-', '.', '1.2.3', '1e', '1e+', 'e5', '١٢'])('rejects %j', (text) => {
    expect(parseDecimal(text)).toBeNaN();
  });

  it('round-trips dates through their yyyymmdd key', () => {
    expect(parseDateKey('2000-02-29')).toBe(20000229);
    expect(parseDateKey('1900-02-29')).toBe(-1);
    expect(formatDateKey(20140102)).toBe('2014-01-02');
  });
});
