/** The quota-aware strategy: see strategy.ts for its contract. */
export { quotaAware } from './strategy.js';
