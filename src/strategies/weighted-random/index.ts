/** The weighted-random strategy: see strategy.ts for its contract. */
export { NAME, weightedRandom } from './strategy.js';
