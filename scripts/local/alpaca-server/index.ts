export { alpacaClientFor, originRewrite } from './client.js';
export type { PartialFillRule, RequestMatch, SymbolRejection } from './faults.js';
export { Faults } from './faults.js';
export { NEWS_FIXTURE, type NewsArticle } from './news-fixture.js';
export {
  type AlpacaServerOptions,
  type AlpacaTestServer,
  type DayPoint,
  instantOf,
  type RecordedRequest,
  startAlpacaServer,
} from './server.js';
