/**
 * The scenario package: load a YAML scenario into a typed Scenario (every default pinned), or get every
 * problem with its file, line and column.
 */

export type * from '../core/types.js';
export * from './defaults.js';
export { DURATION_HINT, parseDuration, parseRate, RATE_HINT } from './durations.js';
export { scenarioJsonSchema } from './json-schema.js';
export {
  dotted,
  type LoadOptions,
  type LoadResult,
  loadScenario,
  loadScenarioFile,
  type ScenarioIssue,
  scenarioIssuesToUserError,
} from './load.js';
export { checkMetric, GLOBAL_METRICS, MODEL_METRICS } from './metrics.js';
export { applyOverrides, readScalar } from './overrides.js';
export { scenarioSchema } from './schema.js';
