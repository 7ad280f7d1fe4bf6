import { stepHandler } from '#shared/runtime/handler.js';
import { generateSignals } from '#shared/steps/generate-signals.js';

export const handler = stepHandler('generate-signals', () => generateSignals);
