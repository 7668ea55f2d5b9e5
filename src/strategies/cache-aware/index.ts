/** The cache-aware strategy: see strategy.ts for its contract. */
export { cacheAware } from './strategy.js';
