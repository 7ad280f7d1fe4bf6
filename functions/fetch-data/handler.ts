import { stepHandler } from '#shared/runtime/handler.js';
import { fetchData } from '#shared/steps/fetch-data.js';

export const handler = stepHandler('fetch-data', () => fetchData);
