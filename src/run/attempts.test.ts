import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../../test/fake-backend.js';
import { Engine } from '../engine/engine.js';
import { RngStreams } from '../engine/rng.js';
import type { RouteRequest } from '../router/types.js';
import { loadScenario } from '../scenario/load.js';
import { Attempts, refusalKind } from './attempts.js';
import { K_ATTEMPT_TIMEOUT, K_EJECT_END, K_RETRY } from './events.js';
import { LiveCluster } from './live-cluster.js';
import { Probing } from './probing.js';
import { Replicas } from './replicas.js';

const YAML = `name: attempts
router:
  strategy: round_robin
  max_retries: 2
  retry_delay: 10ms
  retry_backoff: 3
  request_timeout: 100ms
  outlier_detection: { consecutive_failures: 1, cooldown: 5s }
models:
  - { id: a, max_concurrency: 4 }
  - { id: b, max_concurrency: 4 }
`;

/** Attempts over two fake backends; `events` logs what reaches the target as `t kind arg`. */
function world(yaml = YAML) {
  const r = loadScenario(yaml, 'attempts.yaml', { serving: true });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const s = r.scenario;
  const engine = new Engine();
  const events: string[] = [];
  const target = engine.register({ onEvent: (k, arg) => events.push(`${engine.now()} ${k} ${arg}`) });
  const streams = new RngStreams(s.seed);
  const cluster = new LiveCluster(s.models, engine, { now: () => engine.now(), complete: () => {} }, streams);
  const fakes = s.models.map((m, i) => {
    const f = new FakeBackend(m.id);
    cluster.setLive(i, f);
    return f;
  });
  const views = { load: cluster, cache: cluster, quota: cluster, stale: null };
  const rs = new Replicas(
    s,
    engine,
    streams,
    views,
    s.models.map((m) => m.health),
    undefined,
  );
  const cooldown = s.router.outlier_detection.cooldown_ms;
  const probing = new Probing(engine, target, cluster, rs.monitors, rs.presences[0], cooldown);
  const attempts = new Attempts(engine, target, rs, cluster, probing);
  return { engine, events, fakes, rs, attempts, router: rs.routers[0] };
}

const request = (): RouteRequest => ({ estimated_tokens: 10, attempts: 0, tried: undefined });
const spec = (id: number) => ({ id, prompt_tokens: 6, output_tokens: 4 });

describe('refusalKind', () => {
  it('maps a refusal at submit to the outcome the router is told', () => {
    expect(refusalKind('rate_limited')).toBe('rate_limited');
    expect(refusalKind('queue_full')).toBe('rejected');
    expect(refusalKind('unavailable')).toBe('error');
  });
});

describe('Attempts', () => {
  it('sends to the backend, except across a partition (a connection failure the backend never sees)', () => {
    const w = world();
    expect(w.attempts.send(0, 1, spec(7))).toBe('accepted');
    expect(w.fakes[1].submits).toEqual([spec(7)]);
    w.fakes[1].answer = 'queue_full';
    expect(w.attempts.send(0, 1, spec(8))).toBe('queue_full');
    w.rs.partition(1, [0], true);
    expect(w.attempts.send(0, 1, spec(9))).toBe('unavailable');
    expect(w.fakes[1].log).toEqual(['submit 7', 'submit 8']);
    w.rs.partition(1, [0], false);
    w.fakes[1].answer = 'accepted';
    expect(w.attempts.send(0, 1, spec(10))).toBe('accepted');
  });

  it('arms request_timeout: K_ATTEMPT_TIMEOUT(key) at the deadline it returns; Infinity without one', () => {
    const w = world();
    w.engine.run({ until: 40 });
    expect(w.attempts.armTimeout(0, 5)).toBe(140);
    w.engine.run({ until: 60 });
    expect(w.attempts.armTimeout(0, 6)).toBe(160);
    w.engine.run();
    expect(w.events).toEqual([`140 ${K_ATTEMPT_TIMEOUT} 5`, `160 ${K_ATTEMPT_TIMEOUT} 6`]);

    const none = world(YAML.replace('request_timeout: 100ms', 'request_timeout: 0'));
    expect(none.attempts.armTimeout(0, 5)).toBe(Number.POSITIVE_INFINITY);
    none.engine.run();
    expect(none.events).toEqual([]);
  });

  it('cancels only what the backend still holds', () => {
    const w = world();
    w.attempts.send(0, 0, spec(3));
    expect(w.attempts.cancel(0, 0, 3)).toBe(true);
    expect(w.attempts.cancel(0, 0, 3)).toBe(false);
    expect(w.fakes[0].log).toEqual(['submit 3', 'cancel 3 held', 'cancel 3 gone']);
  });

  it('gives a timed-out attempt its outcome: kind timeout, no token, e2e as long as it was out', () => {
    const o = world().attempts.timedOut(4, 100);
    expect(o).toEqual({
      id: 4,
      kind: 'timeout',
      queue_ms: 0,
      ttft_ms: Number.NaN,
      e2e_ms: 100,
      output_tokens: 0,
      cached_tokens: 0,
    });
  });

  it('tells router.done() the end: retry delays with backoff, then no retry left; ok finishes', () => {
    const w = world();
    const req = request();
    const ended: number[] = [];
    for (let k = 0; k < 3; k++) {
      const d = w.router.route(req);
      expect(d.rejected).toBe(false);
      ended.push(w.attempts.ended(0, req, d.model_index, 'rate_limited', null));
    }
    // max_retries 2: 10 ms, then 10 * 3, then none.
    expect(ended).toEqual([10, 30, -1]);
    const ok = request();
    const d = w.router.route(ok);
    const o = { ...w.attempts.timedOut(0, 50), kind: 'ok' as const, ttft_ms: 20 };
    expect(w.attempts.ended(0, ok, d.model_index, 'ok', o)).toBe(-1);
    const st = w.router.stats();
    expect(st.retries).toBe(2);
  });

  it('counts an error or a timeout against the model (outlier detection), not a refusal or a client error', () => {
    const w = world();
    const end = (kind: 'ok' | 'error' | 'timeout' | 'rejected' | 'rate_limited', client = false) => {
      const req = request();
      w.router.route(req);
      const o = { ...w.attempts.timedOut(0, 5), kind, ...(client ? { client_error: true } : {}) };
      return w.attempts.ended(0, req, 0, kind, o);
    };
    end('rejected');
    end('rate_limited');
    expect(end('error', true)).toBe(-1); // the request's own fault: not retried either
    end('ok');
    expect(w.rs.monitors[0].ejections[0]).toBe(0);
    expect(w.events).toEqual([]);
    end('timeout');
    expect(w.rs.monitors[0].ejections[0]).toBe(1);
    w.engine.run();
    // The ejection (consecutive_failures 1) ends after the 5 s cooldown: K_EJECT_END for replica 0, model 0.
    expect(w.events).toEqual([`5000 ${K_EJECT_END} 0`]);
  });

  it('schedules the retry: K_RETRY(key) after the delay', () => {
    const w = world();
    w.engine.run({ until: 7 });
    w.attempts.retryAfter(30, 12);
    w.engine.run();
    expect(w.events).toEqual([`37 ${K_RETRY} 12`]);
  });
});
