/** The power-of-two strategy: see strategy.ts for its contract. */
export { NAME, powerOfTwo } from './strategy.js';
