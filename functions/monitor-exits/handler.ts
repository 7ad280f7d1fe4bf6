import { stepHandler } from '#shared/runtime/handler.js';
import { monitorExits } from '#shared/steps/monitor-exits.js';

export const handler = stepHandler('monitor-exits', () => monitorExits);
