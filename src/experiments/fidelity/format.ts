/** fidelity.md: a fidelity result as a markdown table a reviewer reads in a pull request. */
import type { FidelityResult } from './fidelity.js';

const pct = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)}%`);
const num = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(1) : x.toFixed(3);

/** The markdown report; `charts` are paths (relative to the report folder) of PNGs to embed. */
export function fidelityMarkdown(f: FidelityResult, charts: string[] = []): string {
  const s = f.summary;
  const lines = [
    `# Fidelity: ${f.scenario}`,
    '',
    `Live (real models) against simulated (each gguf model simulated with its calibrated profile), same ` +
      `traffic (seed ${f.seed}, speed ${f.speed}). Error = |simulated − live| / live.`,
    '',
    `- **median end-to-end error** (latency.e2e_ms.p50): **${pct(s.e2e_p50_ape_pct)}** — ` +
      `${s.pass ? 'pass' : 'FAIL'} (max ${s.max_error_pct}%)`,
    `- median error over all latency metrics: ${pct(s.latency_median_ape_pct)}; largest: ${pct(s.latency_max_ape_pct)}`,
    `- requests: live ${f.requests.live} (${f.requests.live_completed} completed), simulated ${f.requests.sim} ` +
      `(${f.requests.sim_completed} completed)`,
    '',
    '| model | backend | simulated with | live |',
    '|---|---|---|---|',
    ...f.models.map((m) => `| ${m.id} | ${m.backend} | ${m.simulated_with} | ${m.live_note || '—'} |`),
    '',
    '| metric | live | simulated | error |',
    '|---|---:|---:|---:|',
    ...f.metrics.map((m) => `| ${m.metric} | ${num(m.live)} | ${num(m.sim)} | ${pct(m.ape_pct)} |`),
    '',
    ...charts.map((c) => `![${c}](${c})`),
    '',
  ];
  return lines.join('\n');
}
