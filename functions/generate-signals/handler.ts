import { stepHandler } from '#shared/runtime/handler.js';
import { news } from '#shared/runtime/news.js';
import { generateSignals } from '#shared/steps/generate-signals.js';

// The headlines news-sentiment trades on (Alpaca's news API on BROKER=alpaca)
export const handler = stepHandler('generate-signals', () => generateSignals, { uses: { news } });
