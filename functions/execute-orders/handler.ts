import { stepHandler } from '#shared/runtime/handler.js';
import { market } from '#shared/runtime/market.js';
import { executeOrders } from '#shared/steps/execute-orders.js';

export const handler = stepHandler('execute-orders', () => executeOrders, { uses: { market } });
