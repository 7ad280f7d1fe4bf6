import { loadDataFolder } from '../adapters/data-folder.js';
import { FileSimulatedBroker } from '../adapters/file-simulated-broker.js';
import { LazyBroker, LazyMarketData } from '../adapters/on-first-use.js';
import { HistoryMarketData } from '../backtest/history-market-data.js';
import { ConfigError } from '../domain/errors.js';
import { alpacaMarket } from './alpaca-market.js';
import type { Market, Part, Wiring } from './deps.js';
import { DryRunBroker } from './dry-run.js';

/**
 * The market part: Alpaca (alpaca-market.ts), or the persisted simulated venue over a data folder.
 * The simulated one opens on first use, so a cold start reads neither the data folder nor the
 * venue file until the step asks for a bar.
 */
export const market: Part<Market> = async (wiring) => {
  const venue = wiring.env.BROKER === 'alpaca' ? await alpacaMarket(wiring) : simulated(wiring);
  // A dry run reads the real venue and sends it nothing
  return wiring.env.DRY_RUN ? { ...venue, broker: new DryRunBroker(venue.broker) } : venue;
};

function simulated({ env, config }: Wiring): Market {
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
}
