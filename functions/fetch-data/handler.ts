import { calendar } from '#shared/runtime/calendar.js';
import { stepHandler } from '#shared/runtime/handler.js';
import { market } from '#shared/runtime/market.js';
import { objects } from '#shared/runtime/objects.js';
import { fetchData } from '#shared/steps/fetch-data.js';

// The only step that reads and writes the market state's snapshot (S3); the calendar names the
// sessions a missed run backfills
export const handler = stepHandler('fetch-data', () => fetchData, {
  uses: { market, objects, calendar },
});
