import { stepHandler } from '#shared/runtime/handler.js';
import { market } from '#shared/runtime/market.js';
import { monitorExits } from '#shared/steps/monitor-exits.js';

export const handler = stepHandler('monitor-exits', () => monitorExits, { uses: { market } });
