/** The round-robin strategy: see strategy.ts for its contract. */
export { NAME, roundRobin } from './strategy.js';
