/**
 * GPU check of the live path (run on an NVIDIA machine by scripts/gpu-check.sh; no npm, no network):
 * synthesizes the live-cpu scenario's two models when missing, measures each model's tokens/s on CUDA
 * (1 and 4 concurrent sequences, 256-token prompts, 128 outputs), then runs `routesim fidelity` on
 * scenarios/live/live-cpu.yaml with every gguf model's gpu overridden to cuda (calibrating on the GPU first),
 * and prints the figures; everything also goes to $OUT/gpu.json (profiles and the fidelity report beside it).
 * Proof of CUDA: each model's backend.device ("cuda: NVIDIA ...") and gpu_layers (all layers + 1).
 * Env: OUT (output folder, default ./reports/gpu-check), GPU (default cuda; `false` for a CPU baseline).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttemptOutcome } from '../src/backends/backend.js';
import { createGgufBackend } from '../src/backends/gguf/backend.js';
import { synthesizeGguf } from '../src/backends/gguf/synth.js';
import { fidelityCdfChart } from '../src/experiments/fidelity/cdf-chart.js';
import { fidelityMarkdown } from '../src/experiments/fidelity/format.js';
import { runFidelity } from '../src/experiments/fidelity/run-fidelity.js';
import { writeCharts } from '../src/report/charts/render.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const OUT = process.env.OUT || join('reports', 'gpu-check');
const GPU = (process.env.GPU === 'false' ? false : (process.env.GPU ?? 'cuda')) as
  | 'cuda'
  | 'vulkan'
  | 'auto'
  | false;
mkdirSync(OUT, { recursive: true });
const t0 = performance.now();
const say = (s: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}`);

// The live-cpu scenario's models (see its header).
const SYNTH = {
  'models/live-cpu-a.gguf': { layers: 4, width: 384, vocab: 512, context: 1024 },
  'models/live-cpu-b.gguf': { layers: 4, width: 256, vocab: 512, context: 1024 },
};
for (const [path, o] of Object.entries(SYNTH)) {
  if (!existsSync(path)) {
    mkdirSync('models', { recursive: true });
    synthesizeGguf(path, o);
    say(`synthesized ${path}`);
  }
}
const loaded = loadScenarioFile('scenarios/live/live-cpu.yaml');
if (!loaded.ok) throw new Error(`scenario: ${JSON.stringify(loaded.issues)}`);
const scenario = loaded.scenario;

// ---- tokens/s per model on the device ----
const throughput: Record<string, unknown>[] = [];
for (const m of scenario.models.filter((x) => x.backend === 'gguf')) {
  const outs: AttemptOutcome[] = [];
  const spec = { ...m, max_concurrency: 4, max_queue: 16, gguf: { ...m.gguf!, context_size: 1024 } };
  const b = await createGgufBackend(
    spec,
    { now: () => performance.now(), complete: (o) => outs.push({ ...o }) },
    { gpu: GPU },
  );
  const r: Record<string, unknown> = {
    model: m.id,
    gpu: GPU,
    state: b.state,
    failure: b.failure,
    device: b.device,
    gpu_layers: b.gpuLayers,
    runs: [] as unknown[],
  };
  if (b.state === 'ready') {
    b.submit({ id: 0, prompt_tokens: 16, output_tokens: 16 });
    await b.idle();
    outs.length = 0;
    for (const n of [1, 4]) {
      for (let i = 0; i < n; i++) b.submit({ id: 100 * n + i, prompt_tokens: 256, output_tokens: 128 });
      const t = performance.now();
      await b.idle();
      const wall = performance.now() - t;
      const ok = outs.every((o) => o.kind === 'ok' && o.output_tokens === 128);
      (r.runs as unknown[]).push({
        concurrent: n,
        ok,
        tokens_per_s: Math.round(((n * 128) / wall) * 1000),
        ttft_ms: outs.map((o) => +o.ttft_ms.toFixed(2)),
        tpot_ms: outs.map((o) => +((o.e2e_ms - o.ttft_ms) / 127).toFixed(3)),
      });
      outs.length = 0;
    }
  }
  await b.close();
  throughput.push(r);
  say(`throughput ${JSON.stringify(r)}`);
}

// ---- fidelity: live on the device vs simulated from profiles calibrated on the device ----
const f = await runFidelity(scenario, { gpu: GPU, recalibrate: true, onLog: say });
const charts = [fidelityCdfChart(f.fidelity, 'e2e_ms'), fidelityCdfChart(f.fidelity, 'ttft_ms')].filter(
  (c) => c !== null,
);
const { written } = await writeCharts(charts, OUT);
writeFileSync(join(OUT, 'fidelity.json'), `${JSON.stringify(f.fidelity, null, 2)}\n`);
writeFileSync(
  join(OUT, 'fidelity.md'),
  fidelityMarkdown(
    f.fidelity,
    written.map((w) => w.png),
  ),
);
writeFileSync(join(OUT, 'live-report.json'), `${JSON.stringify(f.live.report, null, 2)}\n`);
const lat = (x: { p50: number; p99: number }) => ({ p50: x.p50, p99: x.p99 });
const live = f.live.report;
const result = {
  gpu: GPU,
  devices: f.live.live.map((x) => ({
    id: x.id,
    state: x.state,
    device: x.device,
    gpu_layers: x.gpu_layers,
    failure: x.failure,
  })),
  throughput,
  live: {
    requests: live.requests,
    ttft_ms: lat(live.latency.ttft_ms),
    e2e_ms: lat(live.latency.e2e_ms),
    models: Object.fromEntries(
      Object.entries(live.models).map(([id, m]) => [
        id,
        { share: m.share, ttft_ms: lat(m.ttft_ms), e2e_ms: lat(m.e2e_ms), notes: m.notes },
      ]),
    ),
  },
  fidelity: { summary: f.fidelity.summary, metrics: f.fidelity.metrics },
  calibrated: f.calibrated,
  wall_s: +((performance.now() - t0) / 1000).toFixed(1),
};
writeFileSync(join(OUT, 'gpu.json'), `${JSON.stringify(result, null, 2)}\n`);
for (const p of f.calibrated)
  writeFileSync(join(OUT, p.split('/').pop()!), await import('node:fs').then((fs) => fs.readFileSync(p)));
console.log(JSON.stringify(result, null, 2));
say(
  `median e2e error ${f.fidelity.summary.e2e_p50_ape_pct?.toFixed(1)}% (${f.fidelity.summary.pass ? 'pass' : 'FAIL'}); wrote ${OUT}/gpu.json`,
);
