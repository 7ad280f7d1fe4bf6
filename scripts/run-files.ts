import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readConfigFile } from '../shared/adapters/config-file.js';
import type { BacktestRun } from '../shared/backtest/engine.js';
import { backtestFiles } from '../shared/backtest/output-files.js';
import type { BacktestSummary } from '../shared/backtest/summary.js';
import { parseConfig, StrategyIdSchema, type TradingConfig } from '../shared/domain/config.js';
import { ConfigError } from '../shared/domain/errors.js';
import type { MarketHistory } from '../shared/domain/market/history.js';
import { backtestTearsheet } from '../shared/reports/tearsheet.js';

/** The names of what writeRunFiles writes, for the CLIs' last line. */
export const RUN_FILES = 'summary.json, orders.csv, trades.csv, equity.csv, tearsheet.html';

/** The config file (or the defaults), with `--strategies a,b` replacing the enabled list. */
export async function loadConfig(
  path: string | undefined,
  strategies?: string,
): Promise<TradingConfig> {
  let raw = await readConfigFile(path);
  if (strategies !== undefined) {
    const ids = strategies
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    for (const id of ids) {
      if (!StrategyIdSchema.safeParse(id).success) {
        throw new ConfigError(
          `--strategies: unknown strategy "${id}" (known: ${StrategyIdSchema.options.join(', ')})`,
        );
      }
    }
    const section = (raw.strategies ?? {}) as Record<string, unknown>;
    raw = { ...raw, strategies: { ...section, enabled: ids } };
  }
  return parseConfig(raw, path ?? 'config');
}

/** A run's four result files and its tearsheet, under `out`: the backtest's and the replay's. */
export async function writeRunFiles(
  out: string,
  history: MarketHistory,
  run: BacktestRun,
  summary: BacktestSummary,
): Promise<void> {
  await mkdir(out, { recursive: true });
  // Each file is written chunk by chunk as it is formatted, so no whole CSV is ever in memory, and
  // all at once, so that formatting one file overlaps writing another
  await Promise.all(
    Object.entries(backtestFiles(run, summary)).map(([name, chunks]) =>
      writeFile(join(out, name), chunks),
    ),
  );
  await writeFile(join(out, 'tearsheet.html'), backtestTearsheet(history, run, summary));
}
