import { stepHandler } from '#shared/runtime/handler.js';
import { filterCorrelation } from '#shared/steps/filter-correlation.js';

export const handler = stepHandler('filter-correlation', () => filterCorrelation);
