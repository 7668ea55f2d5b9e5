/** The random strategy: see strategy.ts for its contract. */
export { NAME, random } from './strategy.js';
