/**
 * summary.md: the report as a page a reviewer reads in a pull request — a headline table, per-model and
 * latency tables, the expectations, and the Request Router Status block in a code fence. A function of
 * the Report alone (plus, optionally, run.json's wall-clock figures for the status block's routing time).
 */
import { formatCount as int } from '../core/format.js';
import type { RunInfo } from './run-info.js';
import type { LatencySummary, Report } from './types.js';

/** `chartsMd` (from chartsMarkdown) embeds the PNG charts, so the file reads well as a pull-request comment. */
export function renderSummary(r: Report, run?: RunInfo, chartsMd = ''): string {
  const out: string[] = [];
  const q = r.requests;
  out.push(`# routesim report: ${r.scenario}`, '');
  out.push(
    `Strategy \`${r.strategy}\`, seed ${r.seed}, routesim ${r.version}. Simulated ${fmt(r.sim.end_s)} s` +
      `${r.sim.horizon_s !== null && Number.isFinite(r.sim.horizon_s) ? ` of a ${fmt(r.sim.horizon_s)} s horizon` : ''}, ${int(r.sim.events)} events.`,
    '',
  );
  out.push(
    '| requests | completed | failed | rejected | retried | fallback | in flight at end | e2e p50 ms | e2e p99 ms | Jain index |',
  );
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(
    `| ${int(q.total)} | ${int(q.completed)} (${pct(q.completed, q.total)}) | ${int(q.failed)} | ${int(q.rejected)} | ` +
      `${int(q.retried)} | ${int(q.fallback)} | ${int(q.in_flight_at_horizon)} | ${latFig(r.latency.e2e_ms, 'p50')} | ` +
      `${latFig(r.latency.e2e_ms, 'p99')} | ${fmt(r.balance.jain_index, 3)} |`,
    '',
  );

  if (q.skipped_rows > 0) out.push(skippedLine(q.skipped_rows), '');

  out.push('## Models', '');
  out.push(
    'Per model, counts are of attempts: a request retried on another model is an attempt on each.',
    '',
  );
  out.push(
    '| model | attempts | share | completed | failed attempts | refused attempts | ttft p50 ms | e2e p99 ms | cache hit | quota peak | utilization |',
  );
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [id, m] of Object.entries(r.models)) {
    out.push(
      `| ${id} | ${int(m.attempts)} | ${pctOf(m.share)} | ${int(m.completed)} | ${int(m.failed_attempts)} | ${int(m.refused_attempts)} | ` +
        `${latFig(m.ttft_ms, 'p50')} | ${latFig(m.e2e_ms, 'p99')} | ${pctOf(m.cache_hit_rate)} | ${pctOf(m.quota_used)} | ${pctOf(m.utilization)} |`,
    );
  }
  out.push('');
  // A prefix every request shares makes nearly every lookup a hit; the token share is what routing moves.
  if (r.cache !== undefined && r.cache.token_hit_rate > 0) {
    out.push(
      `Caches served ${pctOf(r.cache.token_hit_rate)} of the prompt tokens looked up ` +
        `(${pctOf(r.cache.hit_rate)} of lookups found at least one cached token).`,
      '',
    );
  }
  const changes = Object.entries(r.models).flatMap(([id, m]) =>
    m.health_changes.map(
      (c) =>
        `| ${id} | ${fmt(c.at_ms / 1000)} | ${c.true_health} | ${c.detected_at_ms === null ? 'never' : fmt(c.detected_at_ms / 1000)} | ${c.delay_ms === null ? '—' : fmt(c.delay_ms)} |`,
    ),
  );
  if (changes.length > 0) {
    out.push('### Health changes and detection', '');
    out.push(
      '| model | at s | true health | router saw it at s | delay ms |',
      '|---|---:|---|---:|---:|',
      ...changes,
      '',
    );
  }

  out.push('## Latency', '');
  out.push('| metric | count | mean | p50 | p90 | p99 | max |', '|---|---:|---:|---:|---:|---:|---:|');
  const lat = r.latency as Record<string, LatencySummary>;
  for (const k of ['ttft_ms', 'e2e_ms', 'tpot_ms', 'queue_ms']) {
    const l = lat[k];
    out.push(
      `| ${k} | ${int(l.count)} | ${latFig(l, 'mean')} | ${latFig(l, 'p50')} | ${latFig(l, 'p90')} | ${latFig(l, 'p99')} | ${latFig(l, 'max')} |`,
    );
  }
  out.push('');
  if (r.latency.e2e_ms.count === 0) out.push(NO_COMPLETED, '');

  out.push('## Routing', '');
  const rt = r.routing;
  out.push(
    `Decisions by source: ${
      Object.entries(rt.strategy_counts)
        .map(([k, v]) => `${k} ${int(v)}`)
        .join(', ') || 'none'
    }. ` +
      `Fallbacks ${int(rt.fallbacks)}, retries ${int(rt.retries)}, mean models attempted ${fmt(rt.attempted_models_mean, 3)}. ` +
      `Affinity: ${int(rt.affinity.hits)} hits, ${int(rt.affinity.misses)} misses (${int(rt.affinity.stale_hits)} found an expired entry), ${int(rt.affinity.expired)} entries expired, ` +
      `${int(rt.affinity.entries)} entries. A/B: ${int(rt.ab.a)} / ${int(rt.ab.b)}.`,
    '',
  );

  if (r.expectations.length > 0) {
    out.push('## Expectations', '');
    out.push('| | metric | expected | actual |', '|---|---|---|---:|');
    for (const e of r.expectations) {
      out.push(
        `| ${e.pass ? 'pass' : '**FAIL**'} | \`${e.metric}\` | ${e.op} ${e.value} | ${e.actual === null ? 'missing' : e.actual} |`,
      );
    }
    out.push('');
  }

  out.push('## Request Router Status', '', '```', withTiming(r.router_status, run), '```', '');
  if (chartsMd !== '') out.push('## Charts', '', chartsMd, '');
  return out.join('\n');
}

/** Put run.json's routing times into the status block when known. */
function withTiming(status: string, run?: RunInfo): string {
  const t = run?.routing_time_us;
  if (!t) return status;
  return status
    .replace(/^Avg routing time: .*$/m, `Avg routing time: ${t.mean.toFixed(2)}µs`)
    .replace(/^P99 routing time: .*$/m, `P99 routing time: ${t.p99.toFixed(2)}µs`);
}

/** The sentence saying how many trace rows `on_bad_row: skip` dropped (shared with the CLI summary). */
export function skippedLine(rows: number): string {
  return `${int(rows)} malformed trace ${rows === 1 ? 'row was' : 'rows were'} skipped (on_bad_row: skip); they are not among the requests.`;
}

/** Said where latency figures would be when nothing completed (report.json keeps its zeros). */
export const NO_COMPLETED = 'No completed requests: there is no latency to report.';

/** A latency figure, or '—' when the summary counted nothing (its zeros are not measurements). */
function latFig(l: LatencySummary, k: 'mean' | 'p50' | 'p90' | 'p99' | 'max'): string {
  return l.count > 0 ? fmt(l[k]) : '—';
}

function fmt(x: number | null, digits = 1): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return x.toFixed(digits);
}

function pct(a: number, b: number): string {
  return b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '—';
}

function pctOf(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
