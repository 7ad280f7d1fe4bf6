import { stepHandler } from '#shared/runtime/handler.js';
import { market } from '#shared/runtime/market.js';
import { checkRisk } from '#shared/steps/check-risk.js';

// The venue says which of the day's candidates it will not trade (an inactive or untradable asset)
export const handler = stepHandler('check-risk', () => checkRisk, { uses: { market } });
