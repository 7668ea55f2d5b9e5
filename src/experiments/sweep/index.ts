/**
 * Parallel, shardable sweeps over a grid of config overrides: what `routesim sweep`, `merge` and compare's
 * `--shard` load (lazily, so other commands never pay for it).
 */
export { defaultWorkers } from './pool.js';
export {
  type CompareShardFile,
  mergeShards,
  readShardFiles,
  writeCompareShardFile,
  writeShardFile,
} from './shard.js';
export {
  buildSweepResult,
  cellsOf,
  parseShard,
  planSweep,
  runSweepCells,
  type SweepResult,
} from './sweep.js';
export { writeSweep } from './write.js';
