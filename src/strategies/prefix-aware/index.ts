/** The prefix-aware strategy: see strategy.ts for its contract. */
export { NAME, prefixAware } from './strategy.js';
