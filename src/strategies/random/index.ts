/** The random strategy: see strategy.ts for its contract. */
export { random } from './strategy.js';
