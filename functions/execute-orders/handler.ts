import { stepHandler } from '#shared/runtime/handler.js';
import { executeOrders } from '#shared/steps/execute-orders.js';

export const handler = stepHandler('execute-orders', () => executeOrders);
