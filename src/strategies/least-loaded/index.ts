/** The least-loaded strategy: see strategy.ts for its contract. */
export { leastLoaded } from './strategy.js';
