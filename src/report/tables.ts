/**
 * The report's tables as plain text cells, built once and drawn twice: summary.md renders them as
 * markdown, report.html as HTML. One source, so the two pages always show the same figures, with the
 * same columns, to the same precision (core/format.ts). Cells are unescaped text; each renderer escapes.
 */
import { int, ms, NONE, num, numBeside, pct, precisionOf, secs, unitOfPath } from '../core/format.js';
import { BASELINE_MS, DRILL_WINDOW_MS, ERROR_TOLERANCE, P99_TOLERANCE } from './drills.js';
import type { LatencySummary, Report } from './types.js';

/** A table: header cells, body rows, and the first column holding numbers (right-aligned from there). */
export interface TextTable {
  head: string[];
  rows: string[][];
  numericFrom: number;
}

/** Said where latency figures would be when nothing completed (report.json keeps its zeros). */
export const NO_COMPLETED = 'No completed requests: there is no latency to report.';

/** A latency figure, or '—' when its summary counted nothing (report.json's zeros are not measurements). */
function latencyFigure(l: LatencySummary, k: 'mean' | 'p50' | 'p90' | 'p99' | 'max'): string {
  return l.count > 0 ? ms(l[k]) : NONE;
}

/** "120 s simulated of a 600 s horizon, 3,500 events" (the horizon only when the scenario set one). */
export function simulatedLine(r: Report): string {
  const h = r.sim.horizon_s;
  const horizon = typeof h === 'number' && Number.isFinite(h) ? ` of a ${num(h)} s horizon` : '';
  return `${num(r.sim.end_s)} s simulated${horizon}, ${int(r.sim.events)} events`;
}

/** Every request counted once (total = completed + failed + rejected + in flight), plus retries and fallbacks. */
export function requestsTable(r: Report): TextTable {
  const q = r.requests;
  const head = [
    'total',
    'completed',
    'failed',
    'rejected',
    'timed out',
    'retried',
    'fallback',
    'in flight at end',
  ];
  const row = [
    int(q.total),
    `${int(q.completed)}${q.total > 0 ? ` (${pct(q.completed / q.total)})` : ''}`,
    int(q.failed),
    int(q.rejected),
    int(q.timed_out),
    int(q.retried),
    int(q.fallback),
    int(q.in_flight_at_horizon),
  ];
  return { head, rows: [row], numericFrom: 0 };
}

/** TTFT, end to end, per output token and queue wait: count, mean and percentiles (ms). */
export function latencyTable(r: Report): TextTable {
  const rows: [string, LatencySummary][] = [
    ['time to first token', r.latency.ttft_ms],
    ['end to end', r.latency.e2e_ms],
    ['time per output token', r.latency.tpot_ms],
    ['queue wait', r.latency.queue_ms],
  ];
  return {
    head: ['ms', 'count', 'mean', 'p50', 'p90', 'p99', 'max'],
    rows: rows.map(([name, l]) => [
      name,
      int(l.count),
      ...(['mean', 'p50', 'p90', 'p99', 'max'] as const).map((k) => latencyFigure(l, k)),
    ]),
    numericFrom: 1,
  };
}

/** Above the models table: its counts are of attempts, not requests. */
export const ATTEMPTS_NOTE =
  'Per model, counts are of attempts: a request retried on another model is an attempt on each.';

/** The sentence saying how many trace rows `on_bad_row: skip` dropped (shared with the CLI summary). */
export function skippedLine(rows: number): string {
  return `${int(rows)} malformed trace ${rows === 1 ? 'row was' : 'rows were'} skipped (on_bad_row: skip); they are not among the requests.`;
}

/** One row per model, in report order (the first cell is the model id); counts are of attempts. */
export function modelsTable(r: Report): TextTable {
  return {
    head: [
      'model',
      'attempts',
      'share',
      'completed',
      'failed attempts',
      'refused attempts',
      'ttft p50 ms',
      'ttft p99 ms',
      'e2e p50 ms',
      'e2e p99 ms',
      'cache hit',
      'quota peak',
      'utilization',
    ],
    rows: Object.entries(r.models).map(([id, m]) => [
      id,
      int(m.attempts),
      pct(m.share),
      int(m.completed),
      int(m.failed_attempts),
      int(m.refused_attempts),
      latencyFigure(m.ttft_ms, 'p50'),
      latencyFigure(m.ttft_ms, 'p99'),
      latencyFigure(m.e2e_ms, 'p50'),
      latencyFigure(m.e2e_ms, 'p99'),
      pct(m.cache_hit_rate),
      pct(m.quota_used),
      pct(m.utilization),
    ]),
    numericFrom: 1,
  };
}

/** The serving-engine models' own figures; null when the run has none. */
export function engineTable(r: Report): TextTable | null {
  const rows = Object.entries(r.models).flatMap(([id, m]) =>
    m.engine
      ? [
          [
            id,
            int(m.engine.steps),
            int(m.engine.preemptions),
            int(m.engine.kv_blocks),
            pct(m.engine.kv_peak_usage),
            int(m.engine.prefix_evictions),
          ],
        ]
      : [],
  );
  if (rows.length === 0) return null;
  return {
    head: ['model', 'engine steps', 'preemptions', 'KV blocks', 'KV peak', 'prefix evictions'],
    rows,
    numericFrom: 1,
  };
}

/** Each model's health changes and when the router noticed; null when no model changed health. */
export function healthTable(r: Report): TextTable | null {
  const rows = Object.entries(r.models).flatMap(([id, m]) =>
    m.health_changes.map((c) => [
      id,
      c.true_health,
      secs(c.at_ms / 1000),
      c.detected_at_ms === null ? 'never' : secs(c.detected_at_ms / 1000),
      c.delay_ms === null ? NONE : ms(c.delay_ms),
    ]),
  );
  if (rows.length === 0) return null;
  return {
    head: ['model', 'true health', 'at s', 'router saw it at s', 'delay ms'],
    rows,
    numericFrom: 2,
  };
}

/** Said under the drill table: what "recovered" means (report/drills.ts, the README's Drills section). */
export const DRILLS_NOTE =
  `Recovered: from the fault to the first ${DRILL_WINDOW_MS / 1000} s window of arrivals whose error rate is ` +
  `within ${ERROR_TOLERANCE * 100} point of, and p99 end to end at most ${P99_TOLERANCE}× that of, the ` +
  `${BASELINE_MS / 1000} s before the fault, and that stays so until the fault is over. Detected: the router ` +
  'first showed the model unhealthy. Lost: requests failed or rejected meanwhile.';

/** Where the figures summary.md and report.html leave out went (both print this line). */
export const WALL_CLOCK_NOTE =
  'Wall-clock figures (run time, simulated requests per second, routing time per decision) are in run.json.';

/** One row per fault drill (report.json drills), or null when the scenario had no fault events. */
export function drillsTable(r: Report): TextTable | null {
  if (r.drills === undefined || r.drills.length === 0) return null;
  const after = (v: number | null) => (v === null ? 'never' : secs(v));
  const three = (a: number | null, b: number | null, c: number | null, f: (v: number | null) => string) =>
    `${f(a)} / ${f(b)} / ${f(c)}`;
  return {
    head: [
      '#',
      'fault',
      'model',
      'at s',
      'detected after s',
      'recovered after s',
      'lost requests',
      'attempts per request',
      'max share (others)',
      'cache hit before / min / after',
      'p99 e2e ms before / during / after',
    ],
    rows: r.drills.map((d, i) => [
      String(i),
      d.event,
      d.model,
      secs(d.at_s),
      after(d.detected_after_s),
      after(d.recovered_after_s),
      int(d.lost_requests),
      num(d.retry_amplification),
      pct(d.max_share),
      three(d.cache_hit_rate.before, d.cache_hit_rate.min, d.cache_hit_rate.after, pct),
      three(d.p99_e2e_ms.before, d.p99_e2e_ms.during, d.p99_e2e_ms.after, ms),
    ]),
    numericFrom: 3,
  };
}

/** Fallbacks, retries, affinity, A/B and balance: the routing figures of the run. */
export function routingTable(r: Report): TextTable {
  const rt = r.routing;
  return {
    head: [
      'fallbacks',
      'retries',
      'models attempted (mean)',
      'affinity hits',
      'misses',
      'stale hits',
      'entries expired',
      'entries',
      'A/B a',
      'A/B b',
      "Jain's index",
      'CV',
    ],
    rows: [
      [
        int(rt.fallbacks),
        int(rt.retries),
        num(rt.attempted_models_mean, { sig: 4 }),
        int(rt.affinity.hits),
        int(rt.affinity.misses),
        int(rt.affinity.stale_hits),
        int(rt.affinity.expired),
        int(rt.affinity.entries),
        int(rt.ab.a),
        int(rt.ab.b),
        num(r.balance.jain_index),
        num(r.balance.cv),
      ],
    ],
    numericFrom: 0,
  };
}

/** Routing decisions by what decided them (strategy, affinity, preferred model, ...); null when none. */
export function decisionsTable(r: Report): TextTable | null {
  const rows = Object.entries(r.routing.strategy_counts).map(([k, v]) => [k, int(v)]);
  return rows.length > 0 ? { head: ['decided by', 'decisions'], rows, numericFrom: 1 } : null;
}

/** Per router replica (router.replicas.count > 1): what it routed and its busiest model; null otherwise. */
export function replicasTable(r: Report): TextTable | null {
  const reps = r.routing.replicas;
  if (reps === undefined) return null;
  return {
    head: [
      'replica',
      'requests',
      'decisions',
      'retries',
      'fallbacks',
      'rejected',
      'affinity hits',
      'ejections',
      'largest share',
    ],
    rows: reps.map((x, i) => {
      const top = Object.entries(x.share).reduce((a, b) => (b[1] > a[1] ? b : a), ['', -1]);
      const ejections = Object.values(x.ejections).reduce((a, b) => a + b, 0);
      return [
        String(i),
        int(x.requests),
        int(x.decisions),
        int(x.retries),
        int(x.fallbacks),
        int(x.rejected),
        int(x.affinity_hits),
        int(ejections),
        x.decisions > 0 ? `${top[0]} ${pct(top[1])}` : NONE,
      ];
    }),
    numericFrom: 1,
  };
}

/** The expect: block's results (result, metric, expected, actual); the actual never prints like the threshold it missed. */
export function expectationsTable(r: Report): TextTable {
  return {
    head: ['result', 'metric', 'expected', 'actual'],
    rows: r.expectations.map((e) => [
      e.pass ? 'pass' : 'FAIL',
      e.metric,
      `${e.op} ${num(e.value, { sig: 15, maxDecimals: 15 })}`,
      e.actual === null ? 'missing' : numBeside(e.actual, e.value, precisionOf(unitOfPath(e.metric))),
    ]),
    numericFrom: 3,
  };
}

/** A markdown table; `|` inside a cell is escaped. */
export function markdownTable(t: TextTable): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${t.head.map(cell).join(' | ')} |`,
    `|${t.head.map((_, i) => (i >= t.numericFrom ? '---:' : '---')).join('|')}|`,
    ...t.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}
