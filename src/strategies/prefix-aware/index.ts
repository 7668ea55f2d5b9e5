/** The prefix-aware strategy: see strategy.ts for its contract. */
export { prefixAware } from './strategy.js';
