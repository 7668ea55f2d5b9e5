/** The KV-aware strategy: see strategy.ts for its contract. */
export { kvAware } from './strategy.js';
