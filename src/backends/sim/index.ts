/**
 * Simulated backends: the public surface the simulation driver uses.
 *
 * Build one SimCluster per run from the scenario's models (same order as the router's registry); hand
 * `cluster.backend(i)` to the driver as model i's Backend and the cluster itself to the router as its
 * LoadView, CacheView and QuotaView; apply timeline events with the cluster's set* methods; read the
 * report's per-model numbers from backendStats(i). Each model reports completions
 * to the host through one reused outcome object, which the host must consume synchronously.
 * Semantics, one file each: model.ts (admission, health, outcomes), request-model.ts (ttft_tpot,
 * service), batch-model.ts (batching, profile), vllm/ (the serving engine: engine-model.ts, scheduler.ts,
 * kv-blocks.ts, physics.ts), cache.ts and prefix-lru.ts (caches), quota.ts (quotas),
 * constants.ts (the fixed modelling choices).
 */
export { SimCluster } from './cluster.js';
