import { DataValidationError } from '../errors.js';

// A hand-written parser: re-laying out the data costs more than a backtest, so the 6.5 MB price
// file must parse and validate in a few tens of milliseconds. It reads the file's UTF-8 bytes in
// place: indexing a Uint8Array is cheaper than charCodeAt, and the file is never decoded into a
// second copy as a string. Rows are stored column by column in typed arrays, dates as yyyymmdd
// integers, and symbols as indexes, so a row allocates nothing; only symbol names and the fields
// an error message quotes are ever decoded

/** CSV text, or its UTF-8 bytes as read from a file (parsed as they are, without decoding). */
export type CsvInput = string | Uint8Array;

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
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;

// Exact powers of ten: m / 10^k is correctly rounded when m < 2^53 and k <= 22 (Clinger's fast path)
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const encoder = new TextEncoder();
// ignoreBOM keeps a U+FEFF inside a field, as decoding the whole file would; the file's own BOM is
// skipped by position before any field is read
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The bytes to parse, always as a plain Uint8Array: a Node Buffer is a subclass, and letting both
 * reach the row loops would make their element loads polymorphic.
 */
function bytesOf(input: CsvInput): Uint8Array {
  if (typeof input === 'string') return encoder.encode(input);
  return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
}

/** The text of bytes [start, end), decoded as UTF-8 (invalid sequences become U+FFFD). */
function decodeText(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}

/** Formats a yyyymmdd integer as `YYYY-MM-DD`. */
export function formatDateKey(key: number): string {
  const year = Math.floor(key / 10000);
  const month = Math.floor(key / 100) % 100;
  const day = key % 100;
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Parses a real calendar date `YYYY-MM-DD` into a yyyymmdd integer; -1 when malformed. */
export function parseDateKey(text: string): number {
  const bytes = encoder.encode(text);
  return dateKeyAt(bytes, 0, bytes.length);
}

/** parseDateKey of the bytes [start, end). */
function dateKeyAt(bytes: Uint8Array, start: number, end: number): number {
  if (end - start !== 10) return -1;
  if (bytes[start + 4] !== MINUS || bytes[start + 7] !== MINUS) return -1;
  const year = digits(bytes, start, 4);
  const month = digits(bytes, start + 5, 2);
  const day = digits(bytes, start + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return -1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = DAYS_IN_MONTH[month]! + (month === 2 && leap ? 1 : 0);
  if (day > daysInMonth) return -1;
  return year * 10000 + month * 100 + day;
}

function digits(bytes: Uint8Array, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    // A read past the end is undefined, and undefined - ZERO is NaN, which fails the test below
    const digit = (bytes[i] as number) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses a plain decimal (`-12.5`, `3`, `1e-3`) exactly as `Number` would; NaN when the text is not
 * one (empty, spaces, hex, `NaN`, `Infinity`), and ±Infinity when it overflows.
 */
export function parseDecimal(text: string): number {
  const bytes = encoder.encode(text);
  return decimalAt(bytes, 0, bytes.length);
}

/** parseDecimal of the bytes [start, end). */
function decimalAt(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let c = i < end ? bytes[i]! : -1;
  const negative = c === MINUS;
  if (negative || c === PLUS) i++;
  let mantissa = 0;
  let digitCount = 0;
  let fractionDigits = 0;
  for (; i < end; i++) {
    const digit = bytes[i]! - ZERO;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
    digitCount++;
  }
  if (i < end && bytes[i] === DOT) {
    for (i++; i < end; i++) {
      const digit = bytes[i]! - ZERO;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
      digitCount++;
      fractionDigits++;
    }
  }
  if (digitCount === 0) return Number.NaN;
  if (i < end) {
    c = bytes[i]!;
    if (c !== LOWER_E && c !== UPPER_E) return Number.NaN;
    i++;
    c = i < end ? bytes[i]! : -1;
    if (c === MINUS || c === PLUS) i++;
    const exponentStart = i;
    while (i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE) i++;
    if (i === exponentStart || i !== end) return Number.NaN;
    return Number(decodeText(bytes, start, end));
  }
  // 15 digits keep the mantissa below 2^53, so the division below rounds exactly once
  if (digitCount > 15) return Number(decodeText(bytes, start, end));
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
    readonly bytes: Uint8Array,
    readonly file: string,
    capacity: number,
  ) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.escaped = new Uint8Array(capacity);
    // The UTF-8 byte order mark, U+FEFF
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.position = 3;
  }

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  /** Reads one record; fields past the capacity are counted but not stored. */
  next(): void {
    const { bytes } = this;
    const length = bytes.length;
    const capacity = this.starts.length;
    let i = this.position;
    this.line = this.nextLine;
    this.count = 0;
    for (;;) {
      let start = i;
      let end: number;
      let escaped = 0;
      if (i < length && bytes[i] === QUOTE) {
        start = i + 1;
        for (;;) {
          const quote = bytes.indexOf(QUOTE, i + 1);
          if (quote < 0) this.fail('unterminated quoted field');
          if (bytes[quote + 1] === QUOTE) {
            escaped = 1;
            i = quote + 1;
            continue;
          }
          end = quote;
          i = quote + 1;
          break;
        }
        for (
          let at = bytes.indexOf(LF, start);
          at >= 0 && at < end;
          at = bytes.indexOf(LF, at + 1)
        ) {
          this.nextLine++;
        }
        const c = bytes[i];
        const atLineEnd = c === LF || (c === CR && bytes[i + 1] === LF);
        if (i < length && c !== COMMA && !atLineEnd) {
          this.fail('unexpected text after a closing quote');
        }
        if (c === CR) i++;
      } else {
        while (i < length) {
          const c = bytes[i];
          if (c === COMMA || c === LF) break;
          i++;
        }
        // A CR before the line break (or the end of the text) belongs to the line break
        end = i > start && bytes[i - 1] === CR && bytes[i] !== COMMA ? i - 1 : i;
      }
      if (this.count < capacity) {
        this.starts[this.count] = start;
        this.ends[this.count] = end;
        this.escaped[this.count] = escaped;
      }
      this.count++;
      if (i < length && bytes[i] === COMMA) {
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
      this.bytes[this.starts[0]! - 1] !== QUOTE
    );
  }

  field(k: number): string {
    const raw = decodeText(this.bytes, this.starts[k]!, this.ends[k]!);
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
  /** The symbol idAt returned last, and where its bytes are */
  #previous = 0;
  #previousStart = 0;
  #previousEnd = -1;

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

  /** The index of the symbol in bytes [start, end), compared in place with the one idAt saw last. */
  idAt(bytes: Uint8Array, start: number, end: number): number {
    // Rows come in runs of one symbol, so this rarely has to decode a name and look it up
    if (!sameBytes(bytes, this.#previousStart, this.#previousEnd, start, end)) {
      this.#previous = this.id(decodeText(bytes, start, end));
    }
    this.#previousStart = start;
    this.#previousEnd = end;
    return this.#previous;
  }
}

/** True when bytes [a, aEnd) and [b, bEnd) are equal. */
function sameBytes(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < bEnd - b; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

// Field kinds of the fast loop; 0 is a column to skip
const DATE = 1;
const SYMBOL = 2;
const NUMBER = 3;

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
  const { starts, ends, bytes } = scanner;
  const { dateField, symbolField } = layout;
  if (starts[dateField] === ends[dateField]) scanner.fail('date is empty');
  const date = dateKeyAt(bytes, starts[dateField]!, ends[dateField]!);
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
    const value = decimalAt(bytes, starts[field]!, ends[field]!);
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
function countLines(bytes: Uint8Array): number {
  let count = 1;
  for (let at = bytes.indexOf(LF); at >= 0; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

/**
 * The fast path: reads a plain record (no quotes, plain decimals, the right field count) in one
 * pass over its bytes. Anything else is left to readRecordStrictly, which reads the record again
 * and names what is wrong.
 *
 * Only records that end with a line break come here, so every loop below stops at that line break
 * at the latest and no read runs past the end of the bytes (except the date's, which fails then).
 */
class PlainRecord {
  date = 0;
  /** Bounds of the symbol field in the bytes */
  symbolStart = 0;
  symbolEnd = 0;

  constructor(
    readonly bytes: Uint8Array,
    /** Per field: 0 to skip, DATE, SYMBOL or NUMBER */
    readonly kinds: Uint8Array,
    /** Per NUMBER field: its slot in `values` */
    readonly slots: Int32Array,
    readonly values: Float64Array,
  ) {}

  /** Reads the record at `position`; returns where the next one starts, or -1 to fall back. */
  read(position: number): number {
    const { bytes, kinds } = this;
    const fieldCount = kinds.length;
    let p = position;
    let c = 0;
    for (let k = 0; k < fieldCount; k++) {
      const kind = kinds[k];
      if (kind === NUMBER) {
        c = bytes[p]!;
        const negative = c === MINUS;
        if (negative) c = bytes[++p]!;
        let mantissa = 0;
        let digitCount = 0;
        let fractionDigits = 0;
        while (c >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          digitCount++;
          c = bytes[++p]!;
        }
        if (c === DOT) {
          c = bytes[++p]!;
          while (c >= ZERO && c <= NINE) {
            mantissa = mantissa * 10 + (c - ZERO);
            digitCount++;
            fractionDigits++;
            c = bytes[++p]!;
          }
        }
        // Up to 15 digits the mantissa is exact and one division rounds correctly
        if (digitCount === 0 || digitCount > 15) return -1;
        const value = fractionDigits === 0 ? mantissa : mantissa / POW10[fractionDigits]!;
        this.values[this.slots[k]!] = negative ? -value : value;
      } else if (kind === DATE) {
        const date = dateKeyAt(bytes, p, p + 10);
        if (date < 0) return -1;
        this.date = date;
        p += 10;
        c = bytes[p]!;
      } else {
        const start = p;
        c = bytes[p]!;
        if (c === QUOTE) return -1;
        while (c !== COMMA && c !== LF && c !== CR) c = bytes[++p]!;
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
    if (c === CR && bytes[p + 1] === LF) return p + 2;
    return -1;
  }
}

/**
 * Shared row loop: parses the date, the optional symbol and the numeric columns of every row and
 * applies every rule. Dates must be strictly ascending per symbol (over the file without one).
 */
function parseBars(bytes: Uint8Array, file: string, spec: BarSpec): BarRows {
  const scanner = new RecordScanner(bytes, file, MAX_COLUMNS);
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

  const capacity = countLines(bytes);
  const lines = new Int32Array(capacity);
  const dates = new Int32Array(capacity);
  const symbolIndex = new Int32Array(spec.symbol ? capacity : 0);
  const columns = names.map(() => new Float64Array(capacity));
  const slotCount = names.length;
  const row = new Float64Array(slotCount);
  const table = new SymbolTable();
  if (!spec.symbol) table.id('');
  const plain = new PlainRecord(bytes, kinds, slots, row);
  // Past the last line break there is at most an unterminated last record: the strict path reads it
  const plainEnd = bytes.lastIndexOf(LF) + 1;

  let position = scanner.position;
  let line = scanner.nextLine;
  let length = 0;
  while (position < bytes.length) {
    let date: number;
    let symbol: number;
    let recordLine = line;
    const next = position < plainEnd ? plain.read(position) : -1;
    if (next >= 0) {
      // PlainRecord only finds the fields; the symbol table is the loop's
      date = plain.date;
      symbol = spec.symbol ? table.idAt(bytes, plain.symbolStart, plain.symbolEnd) : 0;
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
export function parsePricesCsv(input: CsvInput, file: string): PriceRows {
  const rows = parseBars(bytesOf(input), file, {
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
export function parseVixCsv(input: CsvInput, file: string): VixRows {
  const rows = parseBars(bytesOf(input), file, {
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
export function parseCloseCsv(input: CsvInput, file: string): DatedSeries {
  const rows = parseBars(bytesOf(input), file, {
    symbol: false,
    required: ['close'],
    optional: [],
  });
  return {
    file,
    length: rows.length,
    lines: rows.lines,
    dates: rows.dates,
    close: rows.values.close!,
  };
}

/** Parses symbols.csv (`symbol,name,sector[,sub_industry]`); quoted fields may hold commas. */
export function parseSymbolsCsv(input: CsvInput, file: string): SymbolRows {
  const scanner = new RecordScanner(bytesOf(input), file, MAX_COLUMNS);
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
