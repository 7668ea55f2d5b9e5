/**
 * The one place a run is wired: registry, (possibly stale) views, the router, health monitoring, the
 * traffic source, metrics and the driver around a cluster of backends. runScenario (simulated) and runLive
 * (real models paced in real time) both build their run here, so the two cannot drift apart.
 */
import { dirname } from 'node:path';
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine } from '../engine/engine.js';
import type { RngStreams } from '../engine/rng.js';
import { RunMetrics } from '../metrics/run-metrics.js';
import type { MemoryRegistry } from '../router/memory-views.js';
import type { Router } from '../router/router.js';
import type { Health } from '../router/types.js';
import { hasFaults } from '../scenario/events/index.js';
import type { Scenario } from '../scenario/types.js';
import { createSource } from '../traffic/index.js';
import type { RequestSource } from '../traffic/source.js';
import { Driver } from './driver.js';
import { Replicas } from './replicas.js';
import { StaleViews } from './stale-views.js';

export interface Wiring {
  /** Replica 0's registry and router (the only ones without router.replicas). */
  registry: MemoryRegistry;
  router: Router;
  /** Every replica's health monitor at once (a live crash reaches them all). */
  health: Replicas['health'];
  replicas: Replicas;
  source: RequestSource;
  metrics: RunMetrics;
  driver: Driver;
}

export interface WiringOptions {
  /** Health the router starts from, per model (default: each model's `health`). */
  initialHealth?: Health[];
  /** Routing-time stopwatch for run.json (absent: not measured). */
  stopwatch?: () => number;
  /** Wraps the traffic source (live replay watches when it runs dry). */
  wrapSource?: (source: RequestSource) => RequestSource;
}

export function wireRun(
  scenario: Scenario,
  engine: Engine,
  streams: RngStreams,
  cluster: SimCluster,
  opts: WiringOptions = {},
): Wiring {
  const ids = scenario.models.map((m) => m.id);
  const initial = opts.initialHealth ?? scenario.models.map((m) => m.health);
  // Stale views for signals.refresh, or to freeze one model's view (metrics_stale events).
  const periodic = scenario.router.signals.refresh_ms > 0;
  const freezes = scenario.events.some((e) => e.kind === 'metrics_stale');
  const stale = periodic || freezes ? new StaleViews(ids.length, cluster, cluster, cluster, periodic) : null;
  const views = stale ?? cluster;
  const metrics = new RunMetrics(ids, scenario.timeline_interval_ms, hasFaults(scenario.events));
  const replicas = new Replicas(
    scenario,
    engine,
    streams,
    { load: views, cache: views, quota: views, stale: periodic ? stale : null },
    initial,
    opts.stopwatch,
    metrics,
  );
  const raw = createSource(scenario.traffic, streams, {
    horizon_ms: scenario.horizon_ms,
    baseDir: scenario.file ? dirname(scenario.file) : process.cwd(),
  });
  const source = opts.wrapSource ? opts.wrapSource(raw) : raw;
  const driver = new Driver({ scenario, engine, replicas, cluster, source, metrics, stale });
  const { registries, routers } = replicas;
  return {
    registry: registries[0],
    router: routers[0],
    health: replicas.health,
    replicas,
    source,
    metrics,
    driver,
  };
}
