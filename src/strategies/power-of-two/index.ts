/** The power-of-two strategy: see strategy.ts for its contract. */
export { powerOfTwo } from './strategy.js';
