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
      `**${s.verdict === 'pass' ? 'pass' : s.verdict === 'fail' ? 'FAIL' : 'inconclusive'}** ` +
      `(max ${s.max_error_pct}%): ${s.verdict_reason}`,
    `- noise: ${s.live_runs} live run${s.live_runs > 1 ? 's' : ''} of the same traffic (live values are ` +
      `their median); the median end-to-end latency of one run strayed up to ${pct(s.noise_pct)} from it` +
      (f.machine
        ? `; CPU share of a one-thread probe around the runs ${f.machine.cpu_share.map((x) => x.toFixed(2)).join(', ')} ` +
          `(${f.machine.cores} cores, load ${f.machine.load_before} before, ${f.machine.load_after} after)`
        : ''),
    `- median error over all latency metrics: ${pct(s.latency_median_ape_pct)}; largest: ${pct(s.latency_max_ape_pct)}`,
    `- requests: live ${f.requests.live} (${f.requests.live_completed} completed), simulated ${f.requests.sim} ` +
      `(${f.requests.sim_completed} completed)`,
    '',
    '| model | backend | simulated with | live |',
    '|---|---|---|---|',
    ...f.models.map((m) => `| ${m.id} | ${m.backend} | ${m.simulated_with} | ${m.live_note || '—'} |`),
    '',
    '| metric | live | simulated | error | live spread |',
    '|---|---:|---:|---:|---:|',
    ...f.metrics.map(
      (m) =>
        `| ${m.metric} | ${num(m.live)} | ${num(m.sim)} | ${pct(m.ape_pct)} | ${pct(m.live_spread_pct)} |`,
    ),
    '',
    ...charts.map((c) => `![${c}](${c})`),
    '',
  ];
  return lines.join('\n');
}
