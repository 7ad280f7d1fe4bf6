import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadVaderLexicon } from '../adapters/lexicon-file.js';
import { ConfigError } from '../domain/errors.js';
import { VaderScorer } from '../domain/sentiment/vader.js';
import type { NewsSource } from '../ports/index.js';
import type { SentimentScorer } from '../steps/types.js';
import type { Part } from './deps.js';

/** The news-sentiment strategy's inputs: dated headlines and a scorer for them. */
export interface News {
  readonly news: NewsSource;
  readonly sentiment: SentimentScorer;
}

/** The lexicon's name beside a bundle: the generate-signals Lambda's asset copies it there. */
export const VADER_LEXICON_ASSET = 'vader_lexicon.csv';

// The shipped lexicon, two folders up from this module in the repository; in a bundle this module
// is the bundle, and its copy lies beside it (441 KB: as code it would double the bundle)
const SHIPPED_LEXICON = fileURLToPath(
  new URL('../../data/sentiment/vader_lexicon.csv', import.meta.url),
);
const here = dirname(fileURLToPath(import.meta.url));

/** The copy that lets a bundle in `outDir` score headlines, as [from, to] paths. */
export function lexiconAssetCopies(outDir: string): [from: string, to: string][] {
  return [[SHIPPED_LEXICON, join(outDir, VADER_LEXICON_ASSET)]];
}

/** The lexicon beside the bundle (a Lambda), else the repository's (a local run, tests). */
function vaderLexiconPath(): string {
  const besideCode = join(here, VADER_LEXICON_ASSET);
  if (existsSync(besideCode)) return besideCode;
  if (existsSync(SHIPPED_LEXICON)) return SHIPPED_LEXICON;
  throw new ConfigError(
    `the VADER lexicon is neither beside the code (${besideCode}) nor at ${SHIPPED_LEXICON}: copy it with lexiconAssetCopies`,
  );
}

/**
 * The news part: Alpaca's news API (the market data client, APCA_DATA_BASE_URL's origin) scored
 * with the shipped VADER lexicon on BROKER=alpaca; none for a simulated venue, whose history has
 * no headlines, so news-sentiment says it is inactive.
 */
export const news: Part<News | null> = async (wiring) => {
  if (wiring.env.BROKER !== 'alpaca') return null;
  // Imported for an Alpaca run only, as the market is (market.ts)
  const [{ alpaca }, { AlpacaNewsSource }] = await Promise.all([
    import('./alpaca.js'),
    import('../adapters/alpaca/news.js'),
  ]);
  const [client, lexicon] = await Promise.all([
    wiring.use(alpaca),
    loadVaderLexicon(vaderLexiconPath()),
  ]);
  return { news: new AlpacaNewsSource(client), sentiment: new VaderScorer(lexicon) };
};
