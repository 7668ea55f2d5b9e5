/** The weighted-score strategy: see strategy.ts for its contract. */
export { weightedScore } from './strategy.js';
