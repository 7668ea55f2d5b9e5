/** The affinity-based strategy: see strategy.ts for its contract. */
export { affinityBased } from './strategy.js';
