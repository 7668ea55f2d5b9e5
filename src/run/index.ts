/** The simulation driver's public surface: run a loaded scenario to a report. */

export { type HealthChange, HealthMonitor } from './health.js';
export { type RunOptions, type RunResult, routingConfigOf, runScenario } from './run.js';
export { StaleViews } from './stale-views.js';
