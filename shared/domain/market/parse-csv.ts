import { DataValidationError } from '../errors.js';

// A hand-written parser: re-laying out the data costs more than a backtest, so the 6.5 MB price
// file must parse and validate in a few tens of milliseconds. Rows are stored column by column in
// typed arrays, dates as yyyymmdd integers, and symbols as indexes, so a row allocates nothing

/** Price rows in file order, column by column; row r came from line `lines[r]` (1-based). */
export interface PriceRows {
  readonly file: string;
  readonly length: number;
  readonly lines: Int32Array;
  /** Trading date of each row as a yyyymmdd integer (20140102) */
  readonly dates: Int32Array;
  /** Distinct symbols in order of first appearance */
  readonly symbols: readonly string[];
  /** Symbol of each row as an index into `symbols` */
  readonly symbolIndex: Int32Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Present when the file has an `adj_close` column */
  readonly adjClose?: Float64Array;
}

/** One dated close per row, dates strictly ascending; what VIX and benchmark files reduce to. */
export interface DatedSeries {
  readonly file: string;
  readonly length: number;
  readonly lines: Int32Array;
  /** yyyymmdd integers, strictly ascending */
  readonly dates: Int32Array;
  readonly close: Float64Array;
}

/** VIX rows (`date,open,high,low,close`), dates strictly ascending. */
export interface VixRows extends DatedSeries {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
}

/** One row of symbols.csv. */
export interface SymbolRow {
  readonly symbol: string;
  readonly name: string;
  readonly sector: string;
  /** Empty when the file has no `sub_industry` column */
  readonly subIndustry: string;
  readonly line: number;
}

/** The rows of symbols.csv in file order. */
export interface SymbolRows {
  readonly file: string;
  readonly rows: readonly SymbolRow[];
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
const LOWER_E = 101;
const UPPER_E = 69;
const BOM = 0xfeff;

// Exact powers of ten: m / 10^k is correctly rounded when m < 2^53 and k <= 22 (Clinger's fast path)
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Formats a yyyymmdd integer as `YYYY-MM-DD`. */
export function formatDateKey(key: number): string {
  const year = Math.floor(key / 10000);
  const month = Math.floor(key / 100) % 100;
  const day = key % 100;
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Parses a real calendar date `YYYY-MM-DD` into a yyyymmdd integer; -1 when malformed. */
export function parseDateKey(text: string, start = 0, end = text.length): number {
  if (end - start !== 10) return -1;
  if (text.charCodeAt(start + 4) !== MINUS || text.charCodeAt(start + 7) !== MINUS) return -1;
  const year = digits(text, start, 4);
  const month = digits(text, start + 5, 2);
  const day = digits(text, start + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return -1;
  // Every operation runs on every call: a branch first taken in 2016 would deoptimize the JIT code
  const leap = Number(year % 4 === 0) & (Number(year % 100 !== 0) | Number(year % 400 === 0));
  const daysInMonth = DAYS_IN_MONTH[month]! + (month === 2 ? leap : 0);
  if (day > daysInMonth) return -1;
  return year * 10000 + month * 100 + day;
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    // Written so that NaN (past the end of the text) fails too
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses a plain decimal (`-12.5`, `3`, `1e-3`) exactly as `Number` would; NaN when the text is not
 * one (empty, spaces, hex, `NaN`, `Infinity`), and ±Infinity when it overflows.
 */
export function parseDecimal(text: string, start = 0, end = text.length): number {
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === MINUS;
  if (negative || c === PLUS) i++;
  let mantissa = 0;
  let digitCount = 0;
  let fractionDigits = 0;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
    digitCount++;
  }
  if (i < end && text.charCodeAt(i) === DOT) {
    for (i++; i < end; i++) {
      const digit = text.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
      digitCount++;
      fractionDigits++;
    }
  }
  if (digitCount === 0) return Number.NaN;
  if (i < end) {
    c = text.charCodeAt(i);
    if (c !== LOWER_E && c !== UPPER_E) return Number.NaN;
    i++;
    c = text.charCodeAt(i);
    if (c === MINUS || c === PLUS) i++;
    const exponentStart = i;
    while (i < end && text.charCodeAt(i) - ZERO >= 0 && text.charCodeAt(i) - ZERO <= 9) i++;
    if (i === exponentStart || i !== end) return Number.NaN;
    return Number(text.slice(start, end));
  }
  // 15 digits keep the mantissa below 2^53, so the division below rounds exactly once
  if (digitCount > 15) return Number(text.slice(start, end));
  const value = fractionDigits === 0 ? mantissa : mantissa / POW10[fractionDigits]!;
  return negative ? -value : value;
}

/** Field bounds of the record being read, reused from record to record. */
class RecordScanner {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** 1 when the field was quoted and holds `""` escapes, so its text must be unescaped */
  readonly escaped: Uint8Array;
  count = 0;
  /** Line the current record starts on */
  line = 1;
  /** Line the next record starts on */
  nextLine = 1;
  position = 0;

  constructor(
    readonly text: string,
    readonly file: string,
    capacity: number,
  ) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.escaped = new Uint8Array(capacity);
    if (text.charCodeAt(0) === BOM) this.position = 1;
  }

  get done(): boolean {
    return this.position >= this.text.length;
  }

  /** Reads one record; fields past the capacity are counted but not stored. */
  next(): void {
    const { text } = this;
    const length = text.length;
    const capacity = this.starts.length;
    let i = this.position;
    this.line = this.nextLine;
    this.count = 0;
    for (;;) {
      let start = i;
      let end: number;
      let escaped = 0;
      if (i < length && text.charCodeAt(i) === QUOTE) {
        start = i + 1;
        for (;;) {
          const quote = text.indexOf('"', i + 1);
          if (quote < 0) this.fail('unterminated quoted field');
          if (text.charCodeAt(quote + 1) === QUOTE) {
            escaped = 1;
            i = quote + 1;
            continue;
          }
          end = quote;
          i = quote + 1;
          break;
        }
        for (
          let at = text.indexOf('\n', start);
          at >= 0 && at < end;
          at = text.indexOf('\n', at + 1)
        ) {
          this.nextLine++;
        }
        const c = text.charCodeAt(i);
        const atLineEnd = c === LF || (c === CR && text.charCodeAt(i + 1) === LF);
        if (i < length && c !== COMMA && !atLineEnd) {
          this.fail('unexpected text after a closing quote');
        }
        if (c === CR) i++;
      } else {
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF) break;
          i++;
        }
        // A CR before the line break (or the end of the text) belongs to the line break
        end =
          i > start && text.charCodeAt(i - 1) === CR && text.charCodeAt(i) !== COMMA ? i - 1 : i;
      }
      if (this.count < capacity) {
        this.starts[this.count] = start;
        this.ends[this.count] = end;
        this.escaped[this.count] = escaped;
      }
      this.count++;
      if (i < length && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      // End of line or of text
      this.position = i + 1;
      this.nextLine++;
      return;
    }
  }

  /** True when the record is an empty line. */
  get empty(): boolean {
    return (
      this.count === 1 &&
      this.starts[0] === this.ends[0] &&
      this.escaped[0] === 0 &&
      this.text.charCodeAt(this.starts[0]! - 1) !== QUOTE
    );
  }

  field(k: number): string {
    const raw = this.text.slice(this.starts[k]!, this.ends[k]!);
    return this.escaped[k] === 1 ? raw.replaceAll('""', '"') : raw;
  }

  fail(reason: string): never {
    throw new DataValidationError(this.file, this.line, reason);
  }
}

/** Reads the header and returns the field index of each wanted column; -1 for a missing optional one. */
function readHeader(
  scanner: RecordScanner,
  required: readonly string[],
  optional: readonly string[] = [],
): { columns: number[]; fieldCount: number } {
  if (scanner.done) scanner.fail('file is empty (no header)');
  scanner.next();
  const names: string[] = [];
  if (scanner.count > scanner.starts.length) {
    scanner.fail(`header has more than ${scanner.starts.length} columns`);
  }
  for (let k = 0; k < scanner.count; k++) names.push(scanner.field(k));
  const columns: number[] = [];
  for (const [n, name] of [...required, ...optional].entries()) {
    const index = names.indexOf(name);
    if (index >= 0 && names.indexOf(name, index + 1) >= 0) {
      scanner.fail(`column ${name} appears twice`);
    }
    if (index < 0 && n < required.length) {
      scanner.fail(`missing required column ${name} (header: ${names.join(',')})`);
    }
    columns.push(index);
  }
  return { columns, fieldCount: names.length };
}

// Enough for any sane header; a wider file is rejected with a clear message
const MAX_COLUMNS = 256;

type NumericColumn = 'open' | 'high' | 'low' | 'close' | 'volume' | 'adj_close';

interface BarSpec {
  readonly symbol: boolean;
  readonly required: readonly NumericColumn[];
  readonly optional: readonly NumericColumn[];
}

interface BarRows {
  readonly length: number;
  readonly lines: Int32Array;
  readonly dates: Int32Array;
  readonly symbols: string[];
  readonly symbolIndex: Int32Array;
  /** By column name; absent optional columns are missing */
  readonly values: Partial<Record<NumericColumn, Float64Array>>;
}

/** Where each wanted column sits: numeric columns are read into slots 0..names.length-1. */
interface Layout {
  readonly fieldCount: number;
  readonly dateField: number;
  /** -1 when the file has no symbol column */
  readonly symbolField: number;
  /** Field index of each slot */
  readonly slotFields: Int32Array;
  readonly names: readonly NumericColumn[];
  /** 1 for prices (must be positive), 0 for volume (must not be negative) */
  readonly priced: Uint8Array;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** Distinct symbols and, per symbol, the last date seen and its line (for the ordering rule). */
class SymbolTable {
  readonly names: string[] = [];
  readonly lastDate: number[] = [];
  readonly lastLine: number[] = [];
  readonly #ids = new Map<string, number>();
  #previous = 0;

  /** The index of a symbol, added on first sight. */
  id(name: string): number {
    const known = this.#ids.get(name);
    if (known !== undefined) return known;
    const id = this.names.length;
    this.names.push(name);
    this.#ids.set(name, id);
    this.lastDate.push(0);
    this.lastLine.push(0);
    return id;
  }

  /** The index of the symbol text[start, end), compared in place with the previous row's first. */
  idAt(text: string, start: number, end: number): number {
    // Rows come in runs of one symbol, so this rarely has to slice a string and look it up
    const previous = this.names[this.#previous];
    if (previous?.length === end - start && text.startsWith(previous, start)) return this.#previous;
    this.#previous = this.id(text.slice(start, end));
    return this.#previous;
  }
}

// Field kinds of the fast loop; 0 is a column to skip
const DATE = 1;
const SYMBOL = 2;
const NUMBER = 3;
const NINE = 57;

/** The first rule the parsed row breaks, as a message; undefined when it is valid. */
function ruleViolation(
  layout: Layout,
  values: Float64Array,
  date: number,
  symbol: number,
  table: SymbolTable,
): string | undefined {
  const { priced, names } = layout;
  for (let k = 0; k < names.length; k++) {
    const value = values[k]!;
    if (priced[k] === 1 ? !(value > 0) : !(value >= 0)) {
      return `${names[k]} ${priced[k] === 1 ? 'must be positive' : 'must not be negative'} (${value})`;
    }
  }
  if (layout.high >= 0 && layout.low >= 0) {
    const high = values[layout.high]!;
    const low = values[layout.low]!;
    if (high < low) return `high (${high}) is below low (${low})`;
    const open = layout.open >= 0 ? values[layout.open]! : low;
    const close = layout.close >= 0 ? values[layout.close]! : low;
    if (open < low || open > high) return outsideRange('open', open, low, high);
    if (close < low || close > high) return outsideRange('close', close, low, high);
  }
  const previous = table.lastDate[symbol]!;
  if (date <= previous) {
    const owner = layout.symbolField >= 0 ? ` for ${table.names[symbol]}` : '';
    const where = `line ${table.lastLine[symbol]}`;
    return date === previous
      ? `duplicate date ${formatDateKey(date)}${owner} (also on ${where})`
      : `date ${formatDateKey(date)}${owner} is before ${formatDateKey(previous)} on ${where}: dates must be ascending`;
  }
  return undefined;
}

function outsideRange(name: string, value: number, low: number, high: number): string {
  return `${name} (${value}) is outside [low, high] = [${low}, ${high}]`;
}

/**
 * Reads the record at the scanner's position field by field, with a message for every way a field
 * can be wrong; the fast loop falls back to it for anything unusual. Returns the date and symbol.
 */
function readRecordStrictly(
  scanner: RecordScanner,
  layout: Layout,
  table: SymbolTable,
  values: Float64Array,
): { date: number; symbol: number } {
  scanner.next();
  if (scanner.empty) scanner.fail('empty line');
  if (scanner.count !== layout.fieldCount) {
    scanner.fail(`expected ${layout.fieldCount} fields, found ${scanner.count}`);
  }
  const { starts, ends, text } = scanner;
  const { dateField, symbolField } = layout;
  if (starts[dateField] === ends[dateField]) scanner.fail('date is empty');
  const date = parseDateKey(text, starts[dateField], ends[dateField]);
  if (date < 0) scanner.fail(`date is not a valid YYYY-MM-DD date (${quoted(scanner, dateField)})`);

  let symbol = 0;
  if (symbolField >= 0) {
    const name = scanner.field(symbolField);
    if (name === '') scanner.fail('symbol is empty');
    symbol = table.id(name);
  }

  for (let k = 0; k < layout.names.length; k++) {
    const field = layout.slotFields[k]!;
    const name = layout.names[k];
    if (starts[field] === ends[field]) scanner.fail(`${name} is empty`);
    const value = parseDecimal(text, starts[field], ends[field]);
    if (Number.isNaN(value)) scanner.fail(`${name} is not a number (${quoted(scanner, field)})`);
    if (!Number.isFinite(value)) scanner.fail(`${name} is not finite (${quoted(scanner, field)})`);
    values[k] = value;
  }
  return { date, symbol };
}

function quoted(scanner: RecordScanner, field: number): string {
  return JSON.stringify(scanner.field(field));
}

/** Line breaks plus one: a bound on the row count, so the arrays never grow. */
function countLines(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * The fast path: reads a plain record (no quotes, plain decimals, the right field count) in one
 * pass over its characters. Anything else is left to readRecordStrictly, which reads the record
 * again and names what is wrong. Kept apart from the row loop so the JIT optimizes it early.
 */
class PlainRecord {
  date = 0;
  /** Bounds of the symbol field in the text */
  symbolStart = 0;
  symbolEnd = 0;

  constructor(
    readonly text: string,
    /** Per field: 0 to skip, DATE, SYMBOL or NUMBER */
    readonly kinds: Uint8Array,
    /** Per NUMBER field: its slot in `values` */
    readonly slots: Int32Array,
    readonly values: Float64Array,
  ) {}

  /** Reads the record at `position`; returns where the next one starts, or -1 to fall back. */
  read(position: number): number {
    const { text, kinds } = this;
    const fieldCount = kinds.length;
    const textLength = text.length;
    let p = position;
    let c = 0;
    for (let k = 0; k < fieldCount; k++) {
      const kind = kinds[k];
      if (kind === NUMBER) {
        c = text.charCodeAt(p);
        const negative = c === MINUS;
        if (negative) c = text.charCodeAt(++p);
        let mantissa = 0;
        let digitCount = 0;
        let fractionDigits = 0;
        while (c >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          digitCount++;
          c = text.charCodeAt(++p);
        }
        if (c === DOT) {
          c = text.charCodeAt(++p);
          while (c >= ZERO && c <= NINE) {
            mantissa = mantissa * 10 + (c - ZERO);
            digitCount++;
            fractionDigits++;
            c = text.charCodeAt(++p);
          }
        }
        // Up to 15 digits the mantissa is exact and one division rounds correctly
        if (digitCount === 0 || digitCount > 15) return -1;
        const value = fractionDigits === 0 ? mantissa : mantissa / POW10[fractionDigits]!;
        this.values[this.slots[k]!] = negative ? -value : value;
      } else if (kind === DATE) {
        const date = parseDateKey(text, p, p + 10);
        if (date < 0) return -1;
        this.date = date;
        p += 10;
        c = text.charCodeAt(p);
      } else {
        const start = p;
        c = text.charCodeAt(p);
        if (c === QUOTE) return -1;
        while (c !== COMMA && c !== LF && c !== CR && p < textLength) c = text.charCodeAt(++p);
        if (kind === SYMBOL) {
          if (p === start) return -1;
          this.symbolStart = start;
          this.symbolEnd = p;
        }
      }
      if (k + 1 < fieldCount) {
        if (c !== COMMA) return -1;
        p++;
      }
    }
    if (c === LF) return p + 1;
    if (c === CR && text.charCodeAt(p + 1) === LF) return p + 2;
    return p < textLength ? -1 : p;
  }
}

/**
 * Shared row loop: parses the date, the optional symbol and the numeric columns of every row and
 * applies every rule. Dates must be strictly ascending per symbol (over the file without one).
 */
function parseBars(text: string, file: string, spec: BarSpec): BarRows {
  const scanner = new RecordScanner(text, file, MAX_COLUMNS);
  const keyColumns = spec.symbol ? ['date', 'symbol'] : ['date'];
  const header = readHeader(scanner, [...keyColumns, ...spec.required], spec.optional);
  const { fieldCount } = header;
  const numericFields = header.columns.slice(keyColumns.length);
  const names = [...spec.required, ...spec.optional].filter((_, k) => numericFields[k]! >= 0);
  const layout: Layout = {
    fieldCount,
    dateField: header.columns[0]!,
    symbolField: spec.symbol ? header.columns[1]! : -1,
    slotFields: Int32Array.from(numericFields.filter((field) => field >= 0)),
    names,
    priced: Uint8Array.from(names, (name) => (name === 'volume' ? 0 : 1)),
    open: names.indexOf('open'),
    high: names.indexOf('high'),
    low: names.indexOf('low'),
    close: names.indexOf('close'),
  };
  const kinds = new Uint8Array(fieldCount);
  const slots = new Int32Array(fieldCount);
  kinds[layout.dateField] = DATE;
  if (layout.symbolField >= 0) kinds[layout.symbolField] = SYMBOL;
  layout.slotFields.forEach((field, slot) => {
    kinds[field] = NUMBER;
    slots[field] = slot;
  });

  const capacity = countLines(text);
  const lines = new Int32Array(capacity);
  const dates = new Int32Array(capacity);
  const symbolIndex = new Int32Array(spec.symbol ? capacity : 0);
  const columns = names.map(() => new Float64Array(capacity));
  const slotCount = names.length;
  const row = new Float64Array(slotCount);
  const table = new SymbolTable();
  if (!spec.symbol) table.id('');
  const plain = new PlainRecord(text, kinds, slots, row);

  let position = scanner.position;
  let line = scanner.nextLine;
  let length = 0;
  while (position < text.length) {
    let date: number;
    let symbol: number;
    let recordLine = line;
    const next = plain.read(position);
    if (next >= 0) {
      // Resolved here rather than in PlainRecord: the first new symbol comes after the JIT has
      // optimized read(), and code seen for the first time then would deoptimize it
      date = plain.date;
      symbol = spec.symbol ? table.idAt(text, plain.symbolStart, plain.symbolEnd) : 0;
      position = next;
      line++;
    } else {
      scanner.position = position;
      scanner.nextLine = line;
      ({ date, symbol } = readRecordStrictly(scanner, layout, table, row));
      recordLine = scanner.line;
      position = scanner.position;
      line = scanner.nextLine;
    }

    const reason = ruleViolation(layout, row, date, symbol, table);
    if (reason !== undefined) throw new DataValidationError(file, recordLine, reason);
    table.lastDate[symbol] = date;
    table.lastLine[symbol] = recordLine;
    lines[length] = recordLine;
    dates[length] = date;
    if (spec.symbol) symbolIndex[length] = symbol;
    for (let k = 0; k < slotCount; k++) columns[k]![length] = row[k]!;
    length++;
  }

  const values: Partial<Record<NumericColumn, Float64Array>> = {};
  names.forEach((name, k) => {
    values[name] = columns[k]!.subarray(0, length);
  });
  return {
    length,
    lines: lines.subarray(0, length),
    dates: dates.subarray(0, length),
    symbols: spec.symbol ? table.names : [],
    symbolIndex: symbolIndex.subarray(0, spec.symbol ? length : 0),
    values,
  };
}

/** Parses and validates a price file (`date,symbol,open,high,low,close,volume[,adj_close]`). */
export function parsePricesCsv(text: string, file: string): PriceRows {
  const rows = parseBars(text, file, {
    symbol: true,
    required: ['open', 'high', 'low', 'close', 'volume'],
    optional: ['adj_close'],
  });
  const { values } = rows;
  return {
    file,
    length: rows.length,
    lines: rows.lines,
    dates: rows.dates,
    symbols: rows.symbols,
    symbolIndex: rows.symbolIndex,
    open: values.open!,
    high: values.high!,
    low: values.low!,
    close: values.close!,
    volume: values.volume!,
    ...(values.adj_close && { adjClose: values.adj_close }),
  };
}

/** Parses and validates a VIX file (`date,open,high,low,close`), dates strictly ascending. */
export function parseVixCsv(text: string, file: string): VixRows {
  const rows = parseBars(text, file, {
    symbol: false,
    required: ['open', 'high', 'low', 'close'],
    optional: [],
  });
  const { values } = rows;
  return {
    file,
    length: rows.length,
    lines: rows.lines,
    dates: rows.dates,
    open: values.open!,
    high: values.high!,
    low: values.low!,
    close: values.close!,
  };
}

/** Parses and validates a close-only file (`date,close`), dates strictly ascending. */
export function parseCloseCsv(text: string, file: string): DatedSeries {
  const rows = parseBars(text, file, { symbol: false, required: ['close'], optional: [] });
  return {
    file,
    length: rows.length,
    lines: rows.lines,
    dates: rows.dates,
    close: rows.values.close!,
  };
}

/** Parses symbols.csv (`symbol,name,sector[,sub_industry]`); quoted fields may hold commas. */
export function parseSymbolsCsv(text: string, file: string): SymbolRows {
  const scanner = new RecordScanner(text, file, MAX_COLUMNS);
  const { columns, fieldCount } = readHeader(
    scanner,
    ['symbol', 'name', 'sector'],
    ['sub_industry'],
  );
  const [symbolField, nameField, sectorField, subIndustryField] = columns as [
    number,
    number,
    number,
    number,
  ];
  const rows: SymbolRow[] = [];
  const seen = new Map<string, number>();
  while (!scanner.done) {
    scanner.next();
    if (scanner.empty) scanner.fail('empty line');
    if (scanner.count !== fieldCount) {
      scanner.fail(`expected ${fieldCount} fields, found ${scanner.count}`);
    }
    const symbol = scanner.field(symbolField);
    if (symbol === '') scanner.fail('symbol is empty');
    const first = seen.get(symbol);
    if (first !== undefined) scanner.fail(`duplicate symbol ${symbol} (also on line ${first})`);
    seen.set(symbol, scanner.line);
    rows.push({
      symbol,
      name: scanner.field(nameField),
      sector: scanner.field(sectorField),
      subIndustry: subIndustryField >= 0 ? scanner.field(subIndustryField) : '',
      line: scanner.line,
    });
  }
  return { file, rows };
}
