import { stepHandler } from '#shared/runtime/handler.js';
import { detectRegime } from '#shared/steps/detect-regime.js';

export const handler = stepHandler('detect-regime', () => detectRegime);
