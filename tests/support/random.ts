// The one seedable generator, shared with the research tools
export { mulberry32 } from '../../shared/domain/numeric/random.js';
