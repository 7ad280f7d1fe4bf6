import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDataFolder, loadSymbolsMeta } from '../../../shared/adapters/data-folder.js';
import { DataValidationError, InvalidInputError } from '../../../shared/domain/errors.js';

const MINI = 'tests/fixtures/data-mini';

describe('loadDataFolder on the shipped data', () => {
  it('loads 36 symbols over 2,516 trading days in symbols.csv order', async () => {
    // Act
    const history = await loadDataFolder('data');
    // Assess
    expect(history.symbols).toHaveLength(36);
    expect(history.symbols.slice(0, 4)).toEqual(['AAPL', 'MSFT', 'NVDA', 'CSCO']);
    expect(history.dates).toHaveLength(2516);
    expect(history.dates[0]).toBe('2014-01-02');
    expect(history.dates.at(-1)).toBe('2023-12-29');
    expect(history.close).toHaveLength(2516 * 36);
    expect(history.vix).toHaveLength(2516);
    expect(history.vix[0]).toBe(14.23);
    expect(history.benchmark).toBeUndefined();
  });

  it('puts each bar at day * symbols + symbol', async () => {
    // Act
    const history = await loadDataFolder('data');
    // Assess
    const n = history.symbols.length;
    const aapl = history.symbols.indexOf('AAPL');
    const xom = history.symbols.indexOf('XOM');
    expect(history.close[0 * n + aapl]).toBe(19.754642);
    expect(history.open[0 * n + aapl]).toBe(19.845715);
    expect(history.volume[0 * n + aapl]).toBe(234684800);
    expect(history.close[2515 * n + xom]).toBe(99.980003);
  });

  it.each([
    {
      benchmark: 'spy' as const,
      name: 'SPY',
      first: 182.92,
      lastValue: '2021-03-31',
      lastClose: 396.33,
    },
    {
      benchmark: 'sp500' as const,
      name: 'S&P 500',
      first: 1831.98,
      lastValue: '2022-12-28',
      lastClose: 3783.22,
    },
  ])(
    'loads the $name benchmark close, NaN after its last date',
    async ({ benchmark, name, first, lastValue, lastClose }) => {
      // Act
      const history = await loadDataFolder('data', { benchmark });
      // Assess
      const last = history.dates.indexOf(lastValue);
      expect(history.benchmark?.name).toBe(name);
      expect(history.benchmark?.close[0]).toBe(first);
      expect(history.benchmark?.close[last]).toBe(lastClose);
      expect(history.benchmark?.close[last + 1]).toBeNaN();
      expect(history.benchmark?.close.at(-1)).toBeNaN();
    },
  );

  it('reads name and sector from symbols.csv', async () => {
    // Act
    const meta = await loadSymbolsMeta('data');
    // Assess
    expect(meta).toHaveLength(36);
    expect(meta?.[0]).toEqual({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      sector: 'Information Technology',
    });
  });
});

describe('loadDataFolder on a small folder', () => {
  let scratch: string | undefined;
  afterEach(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  /** A copy of the mini folder without some of its files. */
  async function miniWithout(...files: string[]): Promise<string> {
    scratch = await mkdtemp(join(tmpdir(), 'data-folder-'));
    await cp(MINI, scratch, {
      recursive: true,
      filter: (source) => !files.some((file) => source.endsWith(file)),
    });
    return scratch;
  }

  it('loads three made-up symbols in symbols.csv order', async () => {
    // Act
    const history = await loadDataFolder(MINI);
    // Assess
    expect(history.symbols).toEqual(['ZETA', 'ALFA', 'MIDX']);
    expect(history.dates).toHaveLength(30);
    expect(history.dates[0]).toBe('2024-01-02');
    expect(history.dates).not.toContain('2024-01-15');
    expect(history.close[0 * 3 + 1]).toBe(118.23);
    expect(history.close[1 * 3 + 2]).toBe(7.29);
  });

  it('restricts the universe and rejects a symbol that is not in the data', async () => {
    // Act
    const history = await loadDataFolder(MINI, { symbols: ['MIDX', 'ZETA'] });
    const error = await loadDataFolder(MINI, { symbols: ['ZETA', 'AAPL'] }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(history.symbols).toEqual(['ZETA', 'MIDX']);
    expect(history.close[1 * 2 + 1]).toBe(7.29);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      `unknown symbol AAPL: ${MINI}/prices/daily.csv has no rows for it`,
    );
  });

  it('fills the benchmark with NaN where the file has no value', async () => {
    // Act
    const history = await loadDataFolder(MINI, { benchmark: 'sp500' });
    // Assess
    const close = history.benchmark?.close ?? new Float64Array();
    expect(close.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(close.slice(2, 25).some(Number.isNaN)).toBe(false);
    expect(close.slice(25).every(Number.isNaN)).toBe(true);
  });

  it('loads no benchmark when the chosen file is absent', async () => {
    // Act
    const history = await loadDataFolder(MINI, { benchmark: 'spy' });
    // Assess
    expect(history.benchmark).toBeUndefined();
  });

  it('sorts the symbols without symbols.csv, and has no metadata then', async () => {
    // Prepare
    const dir = await miniWithout('symbols.csv');
    // Act
    const history = await loadDataFolder(dir);
    // Assess
    expect(history.symbols).toEqual(['ALFA', 'MIDX', 'ZETA']);
    expect(await loadSymbolsMeta(dir)).toBeUndefined();
  });

  it.each(['prices/daily.csv', 'vix/daily.csv'])(
    'names the missing required file %s',
    async (file) => {
      // Prepare
      const dir = await miniWithout(file);
      // Act
      const error = await loadDataFolder(dir).catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(DataValidationError);
      expect((error as Error).message).toBe(`${join(dir, file)}:0: required file is missing`);
    },
  );

  it('reports a bad row with the folder path, file and line', async () => {
    // Prepare
    const dir = await miniWithout();
    const path = join(dir, 'vix/daily.csv');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[5] = '2024-01-08,15,14,16,15';
    await writeFile(path, lines.join('\n'));
    // Act
    const error = await loadDataFolder(dir).catch((e: unknown) => e);
    // Assess
    expect((error as Error).message).toBe(`${dir}/vix/daily.csv:6: high (14) is below low (16)`);
  });
});
