/** The round-robin strategy: see strategy.ts for its contract. */
export { roundRobin } from './strategy.js';
