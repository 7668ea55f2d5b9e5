/** fidelity.md: a fidelity result as a markdown table a reviewer reads in a pull request. */
import { ms, num } from '../../core/format.js';
import type { FidelityResult } from './fidelity.js';

/** An error in percent (already ×100), one decimal at most: `6.7%`; 'n/a' without a value. */
export const errorPct = (x: number | null) => (x === null ? 'n/a' : `${num(x, { sig: 3, maxDecimals: 1 })}%`);

/** A latency (`…_ms.p50`) to the ms precision, a share or other figure to 3 digits. */
const figure = (metric: string, x: number) => (metric.includes('_ms.') ? ms(x) : num(x));

/** The markdown report; `charts` are paths (relative to the report folder) of PNGs to embed. */
export function fidelityMarkdown(f: FidelityResult, charts: string[] = []): string {
  const s = f.summary;
  const lines = [
    `# Fidelity: ${f.scenario}`,
    '',
    `Live (real models) against simulated (each gguf model simulated with its calibrated profile), same ` +
      `traffic (seed ${f.seed}, speed ${f.speed}). Error = |simulated − live| / live.`,
    '',
    `- **median end-to-end error** (latency.e2e_ms.p50): **${errorPct(s.e2e_p50_ape_pct)}** — ` +
      `**${s.verdict === 'pass' ? 'pass' : s.verdict === 'fail' ? 'FAIL' : 'inconclusive'}** ` +
      `(max ${s.max_error_pct}%): ${s.verdict_reason}`,
    `- noise: ${s.live_runs} live run${s.live_runs > 1 ? 's' : ''} of the same traffic (live values are ` +
      `their median); the median end-to-end latency of one run strayed up to ${errorPct(s.noise_pct)} from it` +
      (f.machine
        ? `; CPU share of a one-thread probe around the runs ${f.machine.cpu_share.map((x) => x.toFixed(2)).join(', ')} ` +
          `(${f.machine.cores} cores, load ${f.machine.load_before} before, ${f.machine.load_after} after)`
        : ''),
    `- median error over all latency metrics: ${errorPct(s.latency_median_ape_pct)}; largest: ${errorPct(s.latency_max_ape_pct)}`,
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
        `| ${m.metric} | ${figure(m.metric, m.live)} | ${figure(m.metric, m.sim)} | ${errorPct(m.ape_pct)} | ${errorPct(m.live_spread_pct)} |`,
    ),
    '',
    ...charts.map((c) => `![${c}](${c})`),
    '',
  ];
  return lines.join('\n');
}
