/** `trace stats` as text for a terminal (the --json output is the TraceStats object itself). */
import { int, num } from '../../core/format.js';
import type { TraceStats } from './trace-stats.js';

/** `d` decimals at most (trailing zeros dropped), separators from 1,000. */
const fix = (v: number, d: number) => num(v, { sig: 15, maxDecimals: d });

export function formatStats(file: string, format: string, s: TraceStats): string {
  const pad = (x: string, n: number) => x.padStart(n);
  const row = (name: string, t: TraceStats['input_tokens']) =>
    `  ${name.padEnd(8)}${pad(fix(t.mean, 1), 10)}${pad(int(t.p50), 9)}${pad(int(t.p90), 9)}${pad(int(t.p99), 9)}${pad(int(t.max), 10)}`;
  const ratio = s.burstiness.busiest_minute_ratio;
  const dispersion = s.burstiness.dispersion_per_second;
  const lines = [
    `trace     ${file} (${format})`,
    `rows      ${int(s.rows)}${s.skipped > 0 ? ` (${int(s.skipped)} bad rows skipped)` : ''}`,
    `span      ${int(s.span_s)} s (${fix(s.span_s / 60, 1)} min)`,
    `rate      ${s.mean_rate_per_s === null ? 'n/a (span 0 s)' : `${fix(s.mean_rate_per_s, 2)} req/s (mean)`}`,
    `tokens    ${pad('mean', 8)}${pad('p50', 9)}${pad('p90', 9)}${pad('p99', 9)}${pad('max', 10)}`,
    row('input', s.input_tokens),
    row('output', s.output_tokens),
    `bursts    busiest minute ${ratio === null ? 'n/a (span under a minute)' : `${fix(ratio, 2)}x the mean`} (${int(s.burstiness.busiest_minute_requests)} requests); index of dispersion per second ${dispersion === null ? 'n/a (span under 2 s)' : fix(dispersion, 2)}`,
  ];
  if (s.prefix) {
    lines.push(
      `prefix    ${fix(s.prefix.reuse_share * 100, 1)}% of prefix blocks repeat an earlier block (${int(s.prefix.repeated)} of ${int(s.prefix.blocks)}; ${int(s.prefix.distinct)} distinct)`,
    );
  }
  if (s.sessions > 0) lines.push(`sessions  ${int(s.sessions)}`);
  return `${lines.join('\n')}\n`;
}
