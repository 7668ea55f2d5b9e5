/**
 * runFidelity: the same scenario run live (real gguf models, runLive) and simulated (runScenario, each gguf
 * model simulated with its calibrated profile), compared metric by metric (fidelity.ts).
 *
 * A gguf model's profile: the scenario's own `latency: { profile }` when it has one, else MODEL.profile.json
 * beside the model file; when that is missing the model is calibrated first (routesim calibrate's defaults)
 * and the profile written there, which onLog says. A model whose file is missing or cannot be loaded is
 * neither calibrated nor served: both runs see it unhealthy (the simulated side is told so).
 *
 * Throws UserError when a profile exists but cannot be read, or calibration fails for a loadable model.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CALIBRATE_DEFAULTS, type CalibrateOptions, calibrate } from '../../backends/gguf/calibrate.js';
import { loadProfile, profilePathFor, writeProfile } from '../../backends/gguf/profile.js';
import type { GpuChoice } from '../../backends/gguf/runtime.js';
import type { ModelSpec } from '../../core/types.js';
import type { LiveResult } from '../../run/live.js';
import type { Scenario } from '../../scenario/types.js';
import { type ReportedRun, runLiveScenario, runScenario } from '../run-scenario.js';
import {
  compareFidelity,
  DEFAULT_MAX_ERROR_PCT,
  type FidelityModel,
  type FidelityResult,
} from './fidelity.js';

export interface FidelityOptions {
  speed?: number;
  gpu?: GpuChoice;
  threads?: number;
  max_error_pct?: number;
  drain_ms?: number;
  /** Calibrate every gguf model now even when its profile exists (a profile from another hour of a busy
   * machine may be stale); the scenario's own `latency: { profile }` is then not used either. */
  recalibrate?: boolean;
  /** Calibration settings when a profile must be made (default: routesim calibrate's). */
  calibrate?: Partial<Omit<CalibrateOptions, 'gpu'>>;
  onLog?: (line: string) => void;
}

export interface FidelityRun {
  fidelity: FidelityResult;
  live: ReportedRun<LiveResult>;
  sim: ReportedRun;
  /** Profiles written by this run (calibrated because they were missing). */
  calibrated: string[];
}

export async function runFidelity(scenario: Scenario, opts: FidelityOptions = {}): Promise<FidelityRun> {
  const log = opts.onLog ?? (() => undefined);
  const speed = opts.speed ?? 1;
  const calibrated: string[] = [];
  const simModels: ModelSpec[] = [];
  const simulatedWith: string[] = [];
  for (const m of scenario.models) {
    if (m.backend !== 'gguf' || m.gguf === null) {
      simModels.push(m);
      simulatedWith.push(`its latency model (${m.latency.model})`);
      continue;
    }
    const file = profilePathFor(m.gguf.path);
    if (m.latency.model === 'profile' && m.latency.profile_path !== resolve(file) && !opts.recalibrate) {
      simModels.push(m);
      simulatedWith.push(`profile ${basename(m.latency.profile_path)} (from the scenario)`);
      continue;
    }
    if ((opts.recalibrate || !existsSync(file)) && existsSync(m.gguf.path)) {
      log(
        opts.recalibrate
          ? `${m.id}: calibrating (--recalibrate) into ${file}`
          : `${m.id}: no profile at ${file}: calibrating first (routesim calibrate ${m.gguf.path})`,
      );
      const t0 = performance.now();
      try {
        const p = await calibrate(m.gguf.path, {
          ...CALIBRATE_DEFAULTS,
          idle_ms: idleMs(scenario),
          ...opts.calibrate,
          gpu: opts.gpu ?? m.gguf.gpu,
          ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        });
        writeProfile(file, p);
        calibrated.push(file);
        log(`${m.id}: calibrated in ${((performance.now() - t0) / 1000).toFixed(1)} s, wrote ${file}`);
      } catch (err) {
        log(
          `${m.id}: cannot calibrate (${err instanceof Error ? err.message : String(err)}); it will be unhealthy`,
        );
      }
    }
    if (existsSync(file)) {
      simModels.push({ ...m, latency: loadProfile(file) });
      simulatedWith.push(`profile ${basename(file)}`);
    } else {
      // Not loadable: the live run marks it unhealthy; the simulated one must see the same.
      simModels.push({ ...m, health: 'unhealthy' });
      simulatedWith.push('nothing (no loadable model: unhealthy in both runs)');
    }
  }
  log(`live run of ${scenario.name} (speed ${speed})`);
  const live = await runLiveScenario(scenario, {
    speed,
    ...(opts.gpu !== undefined ? { gpu: opts.gpu } : {}),
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.drain_ms !== undefined ? { drain_ms: opts.drain_ms } : {}),
    onLog: log,
  });
  // A model that failed to load live is unhealthy in the simulated run too: compare like with like.
  const failed = new Set(live.result.live.models.filter((x) => x.state === 'failed').map((x) => x.id));
  const simScenario: Scenario = {
    ...scenario,
    models: sharedDevices(
      simModels.map((m) => (failed.has(m.id) ? { ...m, health: 'unhealthy' } : m)),
      opts,
    ),
  };
  log('simulated run');
  const sim = await runScenario(simScenario);
  const models: FidelityModel[] = scenario.models.map((m, i) => ({
    id: m.id,
    backend: m.backend,
    simulated_with: simulatedWith[i],
    live_note: live.report.models[m.id]?.notes.join('; ') ?? '',
  }));
  const fidelity = compareFidelity(live.report, sim.report, {
    speed,
    max_error_pct: opts.max_error_pct ?? DEFAULT_MAX_ERROR_PCT,
    models,
  });
  return { fidelity, live, sim, calibrated };
}

/**
 * The pause before each calibration attempt: the mean gap between a model's requests under the scenario's
 * traffic (rate shared by its models), capped at 500 ms; 0 when the traffic is a trace or not synthetic.
 */
export function idleMs(s: Scenario): number {
  const t = s.traffic;
  if (t.kind !== 'synthetic' || !(t.arrivals.rate > 0)) return 0;
  return Math.min(500, Math.round((1000 * s.models.length) / t.arrivals.rate));
}

/**
 * Gguf models served live by the same node-llama-cpp runtime (same gpu choice and threads) share its thread
 * budget, so their steps do not overlap: simulate them on one shared device (backends/sim/device.ts).
 */
function sharedDevices(models: ModelSpec[], opts: Pick<FidelityOptions, 'gpu' | 'threads'>): ModelSpec[] {
  const key = (m: ModelSpec) =>
    m.backend === 'gguf' && m.gguf !== null && m.latency.model === 'profile'
      ? `llama.cpp/${opts.gpu ?? m.gguf.gpu}/${opts.threads ?? ''}`
      : null;
  const count = new Map<string, number>();
  for (const m of models) {
    const k = key(m);
    if (k !== null) count.set(k, (count.get(k) ?? 0) + 1);
  }
  return models.map((m) => {
    const k = key(m);
    return k !== null && (count.get(k) ?? 0) > 1 ? { ...m, device: k } : m;
  });
}
