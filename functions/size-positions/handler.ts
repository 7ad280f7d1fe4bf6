import { stepHandler } from '#shared/runtime/handler.js';
import { sizePositions } from '#shared/steps/size-positions.js';

export const handler = stepHandler('size-positions', () => sizePositions);
