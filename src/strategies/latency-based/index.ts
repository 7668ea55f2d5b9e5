/** The latency-based strategy: see strategy.ts for its contract. */
export { latencyBased } from './strategy.js';
