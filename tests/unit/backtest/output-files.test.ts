import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvChunks, csvNumber, csvText } from '../../../shared/backtest/output-files.js';

describe('csvNumber', () => {
  // The formula the files have always been written with; csvNumber must stay byte for byte equal
  const reference = (x: number) =>
    Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));

  it('writes any double as its shortest text at 12 significant digits', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(csvNumber(x)).toBe(reference(x));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    [116.807541001, '116.807541001'],
    [-309.611310064 - 3e-14, '-309.611310064'],
    [0.1 + 0.2, '0.3'],
    [2.9999999999999, '3'],
    [0.0000015, '0.0000015'],
    [1.5e-7, '1.5e-7'],
    [123456789012.5, '123456789013'],
    [1234567890123.5, '1234567890120'],
    [1e21 + 0.5, '1e+21'],
    [85, '85'],
    [Number.NaN, 'NaN'],
  ])('writes %d as %s', (x, text) => {
    expect(csvNumber(x)).toBe(text);
    expect(csvNumber(x)).toBe(reference(x));
  });

  it('leaves null empty', () => {
    expect(csvNumber(null)).toBe('');
  });
});

describe('csvText', () => {
  it.each([
    ['AAPL', 'AAPL'],
    ['RSI 23.00 < 30, slope +0.87', '"RSI 23.00 < 30, slope +0.87"'],
    ['the "X" Co.', '"the ""X"" Co."'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    [null, ''],
  ])('writes %j as %j', (value, text) => {
    expect(csvText(value)).toBe(text);
  });
});

describe('csvChunks', () => {
  it('writes a header and one line per row, in chunks that end at a line end', () => {
    // Prepare
    const rows = Array.from({ length: 20_000 }, (_, i) => i);
    // Act
    const chunks = [...csvChunks(['n', 'square'], rows, (i) => `${i},${i * i}`)];
    // Assess
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    const lines = chunks.join('').split('\n');
    expect(lines[0]).toBe('n,square');
    expect(lines[12_346]).toBe('12345,152399025');
    expect(lines).toHaveLength(20_002); // header, rows, and '' after the last line end
  });

  it('writes the header alone without rows', () => {
    expect([...csvChunks(['a', 'b'], [], String)]).toEqual(['a,b\n']);
  });
});
