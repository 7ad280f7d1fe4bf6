import { loadDataFolder } from '../adapters/data-folder.js';
import { FileSimulatedBroker } from '../adapters/file-simulated-broker.js';
import { LazyBroker, LazyMarketData } from '../adapters/on-first-use.js';
import { HistoryMarketData } from '../backtest/history-market-data.js';
import { ConfigError } from '../domain/errors.js';
import type { Market, Part } from './deps.js';

/**
 * The market part: the persisted simulated venue over a data folder. Both open on first use, so a
 * cold start reads neither the data folder nor the venue file until the step asks for a bar.
 */
export const market: Part<Market> = ({ env, config }) => {
  if (env.BROKER === 'alpaca') {
    throw new ConfigError(
      'BROKER=alpaca: the Alpaca broker adapter is not built yet (its own issue); use the simulated broker',
    );
  }
  const { DATA_DIR: dataDir, VENUE_FILE: venueFile } = env;
  if (dataDir === undefined || venueFile === undefined) {
    throw new ConfigError('BROKER=simulated needs DATA_DIR (its market data) and VENUE_FILE');
  }
  const marketData = new LazyMarketData(
    async () => new HistoryMarketData(await loadDataFolder(dataDir, { benchmark: 'none' })),
  );
  const broker = new LazyBroker(async () =>
    FileSimulatedBroker.open(
      venueFile,
      await marketData.opened(),
      config.initialCapital,
      config.costs,
    ),
  );
  return { marketData, broker, venue: broker };
};
