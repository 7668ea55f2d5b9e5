/** The cost-based strategy: see strategy.ts for its contract. */
export { costBased } from './strategy.js';
