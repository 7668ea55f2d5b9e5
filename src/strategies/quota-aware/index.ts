/** The quota-aware strategy: see strategy.ts for its contract. */
export { NAME, quotaAware } from './strategy.js';
