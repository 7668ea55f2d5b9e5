/**
 * runLive: a scenario replayed in real time, its gguf models served for real by llama.cpp and its openai
 * models by their HTTP endpoints (the other models simulated), to the same plain RunResult as a simulated
 * run, with the live facts in `live`. Throws UserError, before anything is sent, when an openai model's
 * `api_key_env` variable is not set.
 */
import { performance } from 'node:perf_hooks';
import type { AttemptOutcome, BackendHost } from '../backends/backend.js';
import type { GpuChoice } from '../backends/gguf/runtime.js';
import { Engine } from '../engine/engine.js';
import { RealtimeLoop } from '../engine/realtime.js';
import { RngStreams } from '../engine/rng.js';
import type { Health } from '../router/types.js';
import { resolveApiKeys } from '../scenario/api-keys.js';
import type { Scenario } from '../scenario/types.js';
import type { ArrivalRecord, RequestSource } from '../traffic/source.js';
import { finishRun } from './finish.js';
import { type LiveBackend, LiveCluster } from './live-cluster.js';
import type { RequestFlow } from './request-flow.js';
import type { LiveModelInfo, LiveRunInfo, RunResult } from './result.js';
import { type Wiring, wireRun } from './wiring.js';

export interface LiveOptions {
  /** Virtual ms per wall ms (default 1). */
  speed?: number;
  /** Overrides every gguf model's `gpu:` (e.g. 'cuda' on a GPU machine, false to force the CPU). */
  gpu?: GpuChoice;
  /** llama.cpp CPU threads (default: node-llama-cpp's choice). */
  threads?: number;
  /** Per model load limit, wall ms (default: the backend's, 120 s). */
  load_timeout_ms?: number;
  /** After the last arrival, how long (wall ms) to wait for requests in flight (default 60 s). */
  drain_ms?: number;
  /** Progress lines (model loaded, failed, crashed). */
  onLog?: (line: string) => void;
  /** Where openai models' `api_key_env` variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** A live backend as the run holds it: what it serves on, why it failed. */
interface HeldBackend extends LiveBackend {
  readonly failure: string | null;
}

/** A live run's result: `live` is always set. */
export interface LiveResult extends RunResult {
  live: LiveRunInfo;
}

const DEFAULT_DRAIN_MS = 60_000;
/** Closing a backend waits for its sequences to stop at their next token; bounded all the same. */
const CLOSE_TIMEOUT_MS = 10_000;

export async function runLive(scenario: Scenario, opts: LiveOptions = {}): Promise<LiveResult> {
  const keys = resolveApiKeys(scenario, opts.env);
  const t0 = performance.now();
  const log = opts.onLog ?? (() => undefined);
  const speed = opts.speed ?? 1;
  const engine = new Engine();
  const loop = new RealtimeLoop(engine, { speed });
  const streams = new RngStreams(scenario.seed);
  const ids = scenario.models.map((m) => m.id);
  let ended = false;
  let flow: RequestFlow | null = null;

  const relay: BackendHost = {
    now: () => engine.now(),
    complete: (o) => flow!.complete(o),
  };
  const cluster = new LiveCluster(scenario.models, engine, relay, streams);
  const info: LiveModelInfo[] = [];
  const infoAt: (LiveModelInfo | null)[] = ids.map(() => null);
  const initial: Health[] = scenario.models.map((m) => m.health);
  let health: Wiring['health'] | null = null;

  // ---- load the real models (in parallel), each reporting through its own host ----
  const backends: (HeldBackend | null)[] = ids.map(() => null);
  const hosts = scenario.models.map((m, i) => {
    const host: BackendHost = {
      now: () => engine.now(),
      complete: (o: AttemptOutcome) => {
        if (ended || flow === null) return;
        loop.catchUp();
        cluster.addBusy(i, (o.e2e_ms - o.queue_ms) * speed);
        flow.complete(o);
        const b = backends[i];
        const mi = infoAt[i];
        if (b && mi && b.state === 'failed' && mi.state === 'ready') {
          mi.state = 'crashed';
          mi.failure = b.failure ?? o.detail ?? 'crashed';
          mi.crashed_at_ms = engine.now();
          log(`${m.id}: ${mi.failure}; marked unhealthy`);
          markUnhealthy(i, engine.now());
        }
        loop.wake();
      },
    };
    return host;
  });
  const markUnhealthy = (i: number, now: number) =>
    cluster.processGone(i, health!, now, scenario.router.probes.unhealthy_after);

  const { createGgufBackend } = await import('../backends/gguf/backend.js');
  const openai = scenario.models.some((m) => m.openai)
    ? (await import('../backends/openai/backend.js')).OpenAIBackend
    : null;
  await Promise.all(
    scenario.models.map(async (m, i) => {
      if (m.openai && openai) {
        const l0 = performance.now();
        const b = new openai(m, hosts[i], { api_key: keys[i] });
        const ok = await b.check();
        backends[i] = b;
        infoAt[i] = {
          id: m.id,
          state: ok ? 'ready' : 'failed',
          device: b.device,
          gpu_layers: 0,
          load_ms: performance.now() - l0,
          failure: ok ? null : b.failure,
          crashed_at_ms: null,
        };
        log(`${m.id}: ${ok ? `reached ${b.device}` : `${b.failure}; unhealthy until its probes pass`}`);
        // Not cluster.setHealth: the probes find the server again when it comes up.
        if (!ok) initial[i] = 'unhealthy';
        cluster.setLive(i, b);
        return;
      }
      if (m.backend !== 'gguf' || m.gguf === null) return;
      const l0 = performance.now();
      const b = await createGgufBackend(m, hosts[i], {
        ...(opts.gpu !== undefined ? { gpu: opts.gpu } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        ...(opts.load_timeout_ms !== undefined ? { load_timeout_ms: opts.load_timeout_ms } : {}),
      });
      backends[i] = b;
      const mi: LiveModelInfo = {
        id: m.id,
        state: b.state === 'ready' ? 'ready' : 'failed',
        device: b.device,
        gpu_layers: b.gpuLayers,
        load_ms: performance.now() - l0,
        failure: b.state === 'ready' ? null : (b.failure ?? `model ${m.id} failed to load`),
        crashed_at_ms: null,
      };
      infoAt[i] = mi;
      if (mi.state === 'ready') {
        log(`${m.id}: loaded on ${b.device} in ${(mi.load_ms / 1000).toFixed(1)} s`);
      } else {
        log(`${m.id}: ${mi.failure}; marked unhealthy`);
        initial[i] = 'unhealthy';
        cluster.setHealth(i, 'unhealthy');
      }
      cluster.setLive(i, b);
    }),
  );
  for (const mi of infoAt) if (mi) info.push(mi);

  try {
    let watched!: WatchedSource;
    const w = wireRun(scenario, engine, streams, cluster, {
      initialHealth: initial,
      stopwatch: () => performance.now(),
      wrapSource: (raw) => (watched = new WatchedSource(raw, scenario.horizon_ms)),
    });
    const source = watched;
    health = w.health;
    const d = w.driver;
    flow = d.flow;

    const drain = opts.drain_ms ?? DEFAULT_DRAIN_MS;
    const r0 = performance.now();
    let drainFrom = Number.NaN;
    d.start();
    const horizon = scenario.horizon_ms;
    if (!d.done) {
      await loop.run({
        until: horizon,
        stop: () => {
          if (d.done) return true;
          if (!source.exhausted) return false;
          if (Number.isNaN(drainFrom)) drainFrom = performance.now();
          return performance.now() - drainFrom > drain;
        },
      });
    }
    ended = true;
    const replay_wall_ms = performance.now() - r0;
    const end = d.done ? d.endedAt : Math.min(horizon, engine.now());
    const live: LiveRunInfo = { models: info, speed, replay_wall_ms };
    const result = finishRun({
      scenario,
      engine,
      wiring: w,
      cluster,
      end_ms: end,
      wall_ms: performance.now() - t0,
      skippedRows: source.skipped,
      live,
    });
    return { ...result, live };
  } finally {
    ended = true;
    await Promise.all(
      backends.map((b) =>
        b
          ? Promise.race([b.close(), new Promise<void>((r) => setTimeout(r, CLOSE_TIMEOUT_MS).unref())])
          : undefined,
      ),
    );
  }
}

/** A RequestSource that knows when the traffic has ended (the source is done, or past the horizon). */
class WatchedSource implements RequestSource {
  exhausted = false;
  constructor(
    private readonly inner: RequestSource,
    private readonly horizon: number,
  ) {}
  next(): ArrivalRecord | null {
    const r = this.inner.next();
    if (r === null || !(r.t_ms <= this.horizon)) this.exhausted = true;
    return r;
  }
  get skipped(): number {
    return this.inner.skipped ?? 0;
  }
  close(): void {
    this.inner.close?.();
  }
}
