import { loadDataFolder } from '../adapters/data-folder.js';
import type { MarketHistory } from '../domain/market/history.js';
import { configFor, type ResearchSpec } from './spec.js';

/** The spec's data folder, with the benchmark its config measures against. */
export function loadSpecHistory(spec: ResearchSpec): Promise<MarketHistory> {
  const { benchmark } = configFor(spec, {}).metrics;
  return loadDataFolder(spec.data, {
    benchmark: benchmark === 'equal-weight' ? 'none' : benchmark,
  });
}
