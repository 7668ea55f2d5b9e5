/**
 * Live replay end to end on CPU, with models synthesized into a temporary folder: real gguf models and a
 * simulated one behind the same router (every request accounted for, real latencies, the report shape of
 * a simulated run), a corrupt model routed around with a note, and the scenario's `discover:` key.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeGguf } from '../src/backends/gguf/synth.js';
import { runLiveScenario, runScenario } from '../src/experiments/run-scenario.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-live-'));
const found = join(dir, 'found');

function scenario(yaml: string): Scenario {
  const r = loadScenario(yaml, join(dir, 'scenario.yaml'));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

const TRAFFIC = `traffic:
  arrivals: { process: poisson, rate: 20/s }
  requests: 16
  prompt_tokens: { dist: uniform, min: 4, max: 24 }
  output_tokens: { dist: uniform, min: 2, max: 8 }
`;
const SIM = `  - id: sim
    max_concurrency: 2
    latency: { ttft: 20ms, tpot: 2ms }
`;

/** Every key path of an object, to compare report shapes. */
function shape(x: unknown, prefix = ''): string[] {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return [prefix];
  return Object.entries(x as Record<string, unknown>).flatMap(([k, v]) => shape(v, `${prefix}.${k}`));
}

beforeAll(() => {
  mkdirSync(found, { recursive: true });
  synthesizeGguf(join(dir, 'tiny.gguf'), { vocab: 300, context: 512 });
  // Corrupt: a valid header cut short, so llama.cpp cannot load the weights.
  const full = readFileSync(join(dir, 'tiny.gguf'));
  writeFileSync(join(dir, 'broken.gguf'), full.subarray(0, full.length - 5000));
  copyFileSync(join(dir, 'tiny.gguf'), join(found, 'Found-One.gguf'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runLive', () => {
  it('serves real and simulated models side by side, every request accounted for', async () => {
    const s = scenario(`name: live-test
seed: 3
router: { strategy: round_robin, max_load_threshold: 1000 }
models:
  - id: tiny
    backend: gguf
    path: tiny.gguf
    gpu: false
    max_concurrency: 2
    context_size: 128
${SIM}${TRAFFIC}`);
    const { report, result } = await runLiveScenario(s, { threads: 1 });
    const live = result.live.models;
    const q = report.requests;
    expect(q.total).toBe(16);
    expect(q.completed + q.failed + q.rejected + q.in_flight_at_horizon).toBe(16);
    expect(q.completed).toBe(16);
    // round robin: exactly half each
    expect(report.models.tiny.completed).toBe(8);
    expect(report.models.sim.completed).toBe(8);
    expect(report.models.tiny.e2e_ms.p50).toBeGreaterThan(0);
    expect(report.models.tiny.ttft_ms.p50).toBeGreaterThan(0);
    expect(report.models.tiny.e2e_ms.p50).toBeGreaterThanOrEqual(report.models.tiny.ttft_ms.p50);
    expect(report.models.tiny.notes[0]).toMatch(/served live by llama\.cpp on cpu/);
    expect(report.models.sim.notes).toEqual([]);
    expect(live).toEqual([expect.objectContaining({ id: 'tiny', state: 'ready', failure: null })]);
    // The same Report shape as a simulated run of the same scenario.
    const simulated = (await runScenario(s)).report;
    expect(shape({ ...report, models: null, cdf: null, timeline: null })).toEqual(
      shape({ ...simulated, models: null, cdf: null, timeline: null }),
    );
    expect(shape(report.models.tiny)).toEqual(shape(simulated.models.tiny));
    expect(simulated.models.tiny.notes[0]).toMatch(/simulated/);
  }, 60_000);

  it('routes around a model that fails to load, and says so', async () => {
    const s = scenario(`name: live-broken
router: { strategy: round_robin, max_retries: 2 }
models:
  - id: broken
    backend: gguf
    path: broken.gguf
    gpu: false
${SIM}${TRAFFIC}`);
    const { report, result } = await runLiveScenario(s, { threads: 1 });
    const live = result.live.models;
    expect(report.requests.total).toBe(16);
    expect(report.requests.completed).toBe(16);
    expect(report.models.broken.completed).toBe(0);
    expect(report.models.sim.completed).toBe(16);
    expect(live[0].state).toBe('failed');
    expect(live[0].failure).toMatch(/broken/);
    expect(report.models.broken.notes[0]).toMatch(/failed to load.*routed around/);
  }, 60_000);
});

describe('broken model files', () => {
  it('get no traffic in a simulated run either, with the reason in the notes', async () => {
    writeFileSync(join(dir, 'garbage.gguf'), 'GGML? no: this was never a model');
    writeFileSync(join(dir, 'zero.gguf'), '');
    const gguf = (id: string) =>
      `  - { id: ${id}, backend: gguf, path: ${id}.gguf, latency: { ttft: 20ms, tpot: 2ms } }\n`;
    const s = scenario(`name: sim-broken
router: { strategy: round_robin }
models:
${gguf('tiny')}${gguf('broken')}${gguf('garbage')}${gguf('zero')}${TRAFFIC}`);
    const { report } = await runScenario(s);
    expect(report.requests.total).toBe(16);
    expect(report.requests.completed).toBe(16);
    expect(report.models.tiny.completed).toBe(16);
    for (const id of ['broken', 'garbage', 'zero']) {
      expect(report.models[id].completed, id).toBe(0);
      expect(report.models[id].share, id).toBe(0);
    }
    expect(report.models.tiny.notes[0]).toMatch(/simulated with its latency model/);
    expect(report.models.broken.notes).toEqual([
      expect.stringMatching(
        /^model file cannot be loaded: broken\.gguf: truncated: the tensor data needs \d+ bytes, the file has \d+; marked unhealthy, no traffic sent to it$/,
      ),
    ]);
    expect(report.models.garbage.notes[0]).toMatch(
      /^model file cannot be loaded: garbage\.gguf: not a GGUF file \(the first bytes are "GGML"/,
    );
    expect(report.models.zero.notes[0]).toMatch(
      /^model file cannot be loaded: zero\.gguf: the file is empty \(0 bytes\)/,
    );
  });

  it('a model file cut short during run --live fails that model, and the run completes without it', async () => {
    const path = join(dir, 'cut.gguf');
    copyFileSync(join(dir, 'tiny.gguf'), path);
    const s = scenario(`name: live-cut
seed: 4
router: { strategy: round_robin, max_load_threshold: 1000, max_retries: 2, retry_delay: 5ms }
models:
  - id: cut
    backend: gguf
    path: cut.gguf
    gpu: false
    max_concurrency: 2
    context_size: 128
${SIM}traffic:
  arrivals: { process: constant, rate: 20/s }
  requests: 30
  prompt_tokens: 8
  output_tokens: 8
`);
    let cut: NodeJS.Timeout | undefined;
    const { report, result } = await runLiveScenario(s, {
      threads: 1,
      // 300 ms into serving (of 1.5 s of arrivals), truncate the file as a half-finished download would.
      onLog: (line) => {
        if (/loaded/.test(line))
          cut = setTimeout(() => writeFileSync(path, readFileSync(path).subarray(0, 8192)), 300);
      },
    });
    clearTimeout(cut);
    const q = report.requests;
    expect(q.total).toBe(30);
    expect(q.completed + q.failed + q.rejected + q.in_flight_at_horizon).toBe(30);
    // The failed attempt is retried on the simulated model: every request is served.
    expect(q.completed).toBe(30);
    const mi = result.live.models[0];
    expect(mi.state).toBe('crashed');
    expect(mi.failure).toMatch(
      /^model cut: the model file .*cut\.gguf changed during the run \(\d+ bytes at load, 8192 now\); stopped serving it$/,
    );
    expect(report.models.cut.completed).toBeGreaterThan(0);
    expect(report.models.cut.completed).toBeLessThan(15);
    expect(report.models.cut.notes[0]).toMatch(
      /crashed at \d+\.\d+ s: model cut: the model file .* changed during the run/,
    );
  }, 60_000);
});

describe('runLive never hangs', () => {
  it('stops after a bounded wait for work in flight, and counts it as in flight', async () => {
    const s = scenario(`name: live-drain
models:
  - id: tiny
    backend: gguf
    path: tiny.gguf
    gpu: false
    max_concurrency: 1
    context_size: 512
traffic:
  arrivals: { process: constant, rate: 100/s }
  requests: 4
  prompt_tokens: 8
  output_tokens: 400
`);
    // 4 requests of 400 tokens on one slot take far longer than the drain allows.
    const { report } = await runLiveScenario(s, { threads: 1, drain_ms: 20 });
    const q = report.requests;
    expect(q.total).toBe(4);
    expect(q.in_flight_at_horizon).toBeGreaterThan(0);
    expect(q.completed + q.failed + q.rejected + q.in_flight_at_horizon).toBe(4);
  }, 60_000);
});

describe('discover: in a scenario', () => {
  it('adds each .gguf file of the folder as a gguf model after models:', () => {
    const s = scenario(`models:\n${SIM}discover: found\n${TRAFFIC}`);
    expect(s.models.map((m) => [m.id, m.backend])).toEqual([
      ['sim', 'sim'],
      ['found-one', 'gguf'],
    ]);
    expect(s.models[1].gguf?.path).toBe(join(found, 'Found-One.gguf'));
  });

  it('refuses an id clash, pointing at the discover key', () => {
    const r = loadScenario(
      `models:\n  - id: found-one\n    latency: { ttft: 1ms, tpot: 1ms }\ndiscover: found\n${TRAFFIC}`,
      join(dir, 'clash.yaml'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      expect.objectContaining({
        line: 4,
        column: 11,
        message: expect.stringMatching(/`found-one`.*already/),
      }),
    ]);
  });

  it('refuses a missing folder', () => {
    const r = loadScenario(`discover: nowhere\n${TRAFFIC}`, join(dir, 'missing.yaml'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].message).toMatch(/folder not found/);
  });
});
