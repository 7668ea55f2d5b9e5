/**
 * Parallel, shardable sweeps over a grid of config overrides (used by `routesim sweep` and `merge`; compare
 * runs on the same pool and shards through the same files).
 */
export { type CellOutcome, runCell } from './cell.js';
export { sweepMarkdown } from './format.js';
export { type Axis, type GridVariant, gridVariants, parseAxes, splitValues, variantName } from './grid.js';
export { sweepHeatmap } from './heatmap.js';
export { defaultWorkers, type PoolOptions, type PoolResult, runCellsParallel } from './pool.js';
export {
  type CompareShardFile,
  compareFingerprint,
  type MergedShards,
  mergeShards,
  readShardFiles,
  type ShardFile,
  type SweepShardFile,
  shardFileName,
  writeCompareShardFile,
  writeShardFile,
} from './shard.js';
export {
  buildSweepResult,
  cellsOf,
  DEFAULT_SWEEP_METRIC,
  fingerprintOf,
  parseShard,
  planSweep,
  runSweepCells,
  type Shard,
  type SweepDefinition,
  type SweepOptions,
  type SweepPlan,
  type SweepResult,
  sweepJson,
} from './sweep.js';
export { writeSweep } from './write.js';
