/** The cost-based strategy: see strategy.ts for its contract. */
export { costBased, NAME } from './strategy.js';
