/** The least-loaded strategy: see strategy.ts for its contract. */
export { leastLoaded, NAME } from './strategy.js';
