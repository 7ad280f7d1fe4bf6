import { stepHandler } from '#shared/runtime/handler.js';
import { checkRisk } from '#shared/steps/check-risk.js';

export const handler = stepHandler('check-risk', () => checkRisk);
