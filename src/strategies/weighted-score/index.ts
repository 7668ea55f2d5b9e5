/** The weighted-score strategy: see strategy.ts for its contract. */
export { NAME, weightedScore } from './strategy.js';
