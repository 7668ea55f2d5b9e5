/** The weighted-random strategy: see strategy.ts for its contract. */
export { weightedRandom } from './strategy.js';
