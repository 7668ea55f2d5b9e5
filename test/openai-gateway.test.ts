/**
 * `backend: openai` against routesim's own gateway serving `sim` models (src/gateway/): `run --live` replays
 * a short trace through two openai entries to one sim-backed gateway, and `calibrate --url` recovers the
 * sim model's known latencies from it. Loopback only; every gateway is closed by the test.
 * The sim model is `ttft_tpot` (TTFT 40 ms, 8 ms per token, whatever the concurrency: room for every
 * stream), whose last token ends at ttft + tpot × tokens; calibration's prefill requests ask for 1 token,
 * which the gateway sends at that end: 48 ms. Tolerance, one-sided because every delay on the way (the HTTP
 * round trip, the gateway pacing tokens with timers, a busy machine's scheduling) only adds: fitted prefill
 * within −15% / +40% of 48 ms at every length, decode step within −15% / +50% of 8 ms at every concurrency
 * (measured alone on a loaded 2-core machine: about 52 ms and 9.3 ms).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLiveScenario } from '../src/experiments/run-scenario.js';
import { type Gateway, startGateway } from '../src/gateway/server.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';
import { runCli } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-openai-gw-'));
const open: Gateway[] = [];
afterAll(async () => {
  await Promise.all(open.map((g) => g.close(1000)));
  rmSync(dir, { recursive: true, force: true });
});

function load(yaml: string, serving = false): Scenario {
  const r = loadScenario(yaml, join(dir, 'scenario.yaml'), serving ? { serving: true } : {});
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

async function simGateway(): Promise<Gateway> {
  const gw = await startGateway(
    load(
      `name: fleet
models:
  - { id: s, max_concurrency: 16, latency: { ttft: 40ms, tpot: 8ms } }
`,
      true,
    ),
    { port: 0 },
  );
  open.push(gw);
  return gw;
}

function metric(text: string, line: string): number {
  const l = text.split('\n').find((x) => x.startsWith(`${line} `));
  return l === undefined ? 0 : Number(l.split(' ').at(-1));
}

describe('openai models in front of a sim-backed gateway', () => {
  it('run --live replays a trace through it, every request and token accounted for', async () => {
    const gw = await simGateway();
    const trace = join(dir, 'trace.jsonl');
    writeFileSync(
      trace,
      `${Array.from({ length: 10 }, (_, i) => JSON.stringify({ t_ms: i * 30, prompt_tokens: 20 + i, output_tokens: 4 + i })).join('\n')}\n`,
    );
    const s = load(`name: via-gateway
router: { strategy: round_robin }
models:
  - { id: a, backend: openai, url: "${gw.url}/v1", api_model: s }
  - { id: b, backend: openai, url: "${gw.url}/v1", api_model: s, api: completions }
traffic: { trace: ${trace}, format: native }
`);
    const { report } = await runLiveScenario(s);
    expect(report.requests).toMatchObject({ total: 10, completed: 10, failed: 0, retried: 0 });
    expect(report.models.a.completed).toBe(5);
    expect(report.models.b.completed).toBe(5);
    expect(report.latency.tpot_ms.count).toBe(10);
    // TTFT is the sim model's 40 ms (every row asks for 4 or more tokens) plus the HTTP round trip.
    expect(report.latency.ttft_ms.p50).toBeGreaterThanOrEqual(40);
    const m = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metric(m, 'routesim_gateway_requests_total{model="s",outcome="ok"}')).toBe(10);
  }, 30_000);

  it('calibrate --url recovers the sim model latencies', async () => {
    const gw = await simGateway();
    const out = join(dir, 'gw.profile.json');
    const r = await runCli([
      'calibrate',
      '--url',
      `${gw.url}/v1`,
      '--api-model',
      's',
      '--prompt-lengths',
      '16,64,256',
      '--max-seqs',
      '3',
      '--repeats',
      '3',
      '--decode-tokens',
      '6',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    const p = JSON.parse(readFileSync(out, 'utf8'));
    for (const x of [16, 64, 256]) {
      const fit = p.prefill_base_ms + p.prefill_ms_per_token * x;
      expect(fit, `prefill ${x}`).toBeGreaterThanOrEqual(0.85 * 48);
      expect(fit, `prefill ${x}`).toBeLessThanOrEqual(1.4 * 48);
    }
    for (const n of [1, 2, 3]) {
      const fit = p.decode_base_ms + p.decode_per_seq_ms * n;
      expect(fit, `decode ${n}`).toBeGreaterThanOrEqual(0.85 * 8);
      expect(fit, `decode ${n}`).toBeLessThanOrEqual(1.5 * 8);
    }
  }, 60_000);
});
