/**
 * The run's request flow (run/request-flow.ts) and the gateway's fleet (gateway/fleet.ts) take one request
 * through the same attempt steps (run/attempts.ts): the same scenario, the same fake backends ending its
 * attempts at the same times, give the same submits and cancels on each model, the same retries and the
 * same end. The run's models are a LiveCluster of fakes (as `run --live` wires real ones); the run's engine
 * and the fleet's are moved by the test, so nothing here depends on the wall clock.
 */
import { describe, expect, it } from 'vitest';
import type { BackendHost, SubmitResult } from '../src/backends/backend.js';
import { Engine } from '../src/engine/engine.js';
import { RngStreams } from '../src/engine/rng.js';
import type { OutcomeKind } from '../src/router/types.js';
import { LiveCluster } from '../src/run/live-cluster.js';
import type { RequestFlow } from '../src/run/request-flow.js';
import { wireRun } from '../src/run/wiring.js';
import { loadScenario } from '../src/scenario/load.js';
import { FakeBackend } from './fake-backend.js';
import { fakeFleet, LogExchange } from './fleet-kit.js';

/** One request's story: attempts end (`end`, on a model) or time passes (`wait`, ms). */
type Step = { end: number; kind: OutcomeKind } | { wait: number };

/** What both sides must agree on. `kind`: the run's buckets (a rate-limited end is a rejection there). */
interface Seen {
  logs: string[][];
  retries: number;
  kind: 'ok' | 'error' | 'timeout' | 'rejected' | null;
}

/** The backend logs with the attempt id left out (a RequestTable slot in a run, an exchange id here). */
const logsOf = (fakes: FakeBackend[]) => fakes.map((f) => f.log.map((l) => l.replace(/ \d+/, '')));

/** What each model's backend answers every submit (default: accepted). */
type Answers = readonly SubmitResult[];

function inRun(yaml: string, steps: readonly Step[], answers: Answers = []): Seen {
  const r = loadScenario(`${yaml}traffic: { arrivals: { process: constant, rate: 1/s }, requests: 1 }\n`, '');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const s = r.scenario;
  const engine = new Engine();
  const streams = new RngStreams(s.seed);
  let flow: RequestFlow | null = null;
  const host: BackendHost = { now: () => engine.now(), complete: (o) => flow!.complete(o) };
  const cluster = new LiveCluster(s.models, engine, host, streams);
  const fakes = s.models.map((m, i) => {
    const f = new FakeBackend(m.id, host);
    f.answer = answers[i] ?? 'accepted';
    cluster.setLive(i, f);
    return f;
  });
  const w = wireRun(s, engine, streams, cluster);
  flow = w.driver.flow;
  w.driver.start();
  // To the arrival (it is routed and sent in the same event).
  for (let k = 0; k < 100 && w.metrics.total === 0; k++) engine.step();
  const t0 = engine.now();
  let t = 0;
  for (const st of steps) {
    if ('wait' in st) engine.run({ until: t0 + (t += st.wait) });
    else fakes[st.end].complete(fakes[st.end].submits.at(-1)!.id, st.kind);
  }
  const m = w.metrics;
  const kind =
    m.completed === 1
      ? 'ok'
      : m.failed === 1
        ? m.timedOut === 1
          ? 'timeout'
          : 'error'
        : m.rejected === 1
          ? 'rejected'
          : null;
  return { logs: logsOf(fakes), retries: w.router.stats().retries, kind };
}

function inGateway(yaml: string, steps: readonly Step[], answers: Answers = []): Seen {
  const { fleet, fakes } = fakeFleet(yaml);
  fakes.forEach((f, i) => {
    f.answer = answers[i] ?? 'accepted';
  });
  const x = new LogExchange();
  fleet.serve(x);
  let t = 0;
  for (const st of steps) {
    if ('wait' in st) fleet.engine.run({ until: (t += st.wait) });
    else fakes[st.end].complete(x.id, st.kind);
  }
  const kind = x.kind === 'rate_limited' ? 'rejected' : x.kind;
  return { logs: logsOf(fakes), retries: fleet.router.stats().retries, kind };
}

const scenario = (router: string, a = '', b = '') => `name: parity
router: { strategy: round_robin, retry_delay: 5ms, outlier_detection: { consecutive_failures: 0 }, ${router} }
models:
  - { id: a, max_concurrency: 4, max_queue: 0${a} }
  - { id: b, max_concurrency: 4, max_queue: 0${b} }
`;

const CASES: { name: string; yaml: string; steps: Step[]; answers?: Answers; seen: Seen }[] = [
  {
    name: 'ok',
    yaml: scenario('max_retries: 1'),
    steps: [{ wait: 20 }, { end: 0, kind: 'ok' }],
    seen: { logs: [['submit'], []], retries: 0, kind: 'ok' },
  },
  {
    name: 'an error, then the retry on the other model is ok',
    yaml: scenario('max_retries: 1'),
    steps: [{ end: 0, kind: 'error' }, { wait: 4 }, { wait: 1 }, { end: 1, kind: 'ok' }],
    seen: { logs: [['submit'], ['submit']], retries: 1, kind: 'ok' },
  },
  {
    name: 'errors until no retry is left',
    yaml: scenario('max_retries: 1'),
    steps: [{ end: 0, kind: 'error' }, { wait: 5 }, { end: 1, kind: 'error' }],
    seen: { logs: [['submit'], ['submit']], retries: 1, kind: 'error' },
  },
  {
    name: 'a timeout at router.request_timeout, retried; the retry times out too',
    yaml: scenario('max_retries: 1, request_timeout: 100ms'),
    steps: [{ wait: 99 }, { wait: 1 }, { wait: 5 }, { wait: 100 }],
    seen: {
      logs: [
        ['submit', 'cancel held'],
        ['submit', 'cancel held'],
      ],
      retries: 1,
      kind: 'timeout',
    },
  },
  {
    name: 'an attempt that ends before its deadline is not cancelled later',
    yaml: scenario('max_retries: 1, request_timeout: 100ms'),
    steps: [{ wait: 50 }, { end: 0, kind: 'ok' }, { wait: 500 }],
    seen: { logs: [['submit'], []], retries: 0, kind: 'ok' },
  },
  {
    name: 'refused at submit (rate limited), retried elsewhere',
    yaml: scenario('max_retries: 1'),
    answers: ['rate_limited'],
    steps: [{ wait: 5 }, { end: 1, kind: 'ok' }],
    seen: { logs: [['submit'], ['submit']], retries: 1, kind: 'ok' },
  },
  {
    name: 'refused at submit (queue full) with no retry left: rejected',
    yaml: scenario('max_retries: 0'),
    answers: ['queue_full'],
    steps: [{ wait: 50 }],
    seen: { logs: [['submit'], []], retries: 0, kind: 'rejected' },
  },
  {
    name: 'rejected by the router: no model is healthy',
    yaml: scenario('max_retries: 1', ', health: unhealthy', ', health: unhealthy'),
    steps: [],
    seen: { logs: [[], []], retries: 0, kind: 'rejected' },
  },
];

describe('one request through the run and through the gateway', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const run = inRun(c.yaml, c.steps, c.answers);
      expect(run).toEqual(c.seen);
      expect(inGateway(c.yaml, c.steps, c.answers)).toEqual(run);
    });
  }
});
