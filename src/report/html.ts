/**
 * report.html: one self-contained file (charts inline as SVG, styles inline, no script, no network) with
 * the summary tables, the Request Router Status block and every chart. Deterministic: the same report and
 * charts give the same bytes (no dates, no random ids).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../core/output/atomic-file.js';
import { reportCharts } from './charts/index.js';
import type { WrittenChart } from './charts/render.js';
import { colourRange } from './charts/style.js';
import { NO_COMPLETED } from './summary.js';
import type { LatencySummary, Report } from './types.js';

/** A chart ready to inline: its title and SVG markup. */
export interface InlineChart {
  name: string;
  title: string;
  svg: string;
}

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Numbers as a reader wants them: integers with separators, others to 3 significant digits. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

const pct = (x: number) => `${fmt(x * 100)}%`;

/** An HTML table from a header row and body rows (cells already escaped or plain text). */
export function table(head: string[], rows: string[][], numericFrom = 1): string {
  const th = head.map((h, i) => `<th${i >= numericFrom ? ' class="n"' : ''}>${h}</th>`).join('');
  const tr = rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

/** Shared styles of report.html and compare.html. */
const HTML_STYLE = `
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.meta{color:#555;margin-top:0}table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left}th{background:#f6f6f6;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:baseline}
.pass{color:#1e7e34;font-weight:600}.fail{color:#c0392b;font-weight:600}pre{background:#f6f6f6;padding:.8rem;overflow:auto;font-size:.85rem}
figure{margin:1.2rem 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.85rem}
`;

/** The page skeleton shared by report.html and compare.html. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${HTML_STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

function latencyRow(name: string, l: LatencySummary): string[] {
  return [name, lat(l, l.mean), lat(l, l.p50), lat(l, l.p90), lat(l, l.p99), lat(l, l.max)];
}

/** A latency figure, or '—' when its summary counted nothing (report.json's zeros are not measurements). */
function lat(l: LatencySummary, x: number): string {
  return l.count > 0 ? fmt(x) : '—';
}

/** Strips the XML prolog (if any) so that the SVG can be inlined in HTML. */
function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

/** The report page, from the report and its rendered charts (pure; see writeReportHtml for the async path). */
/** " of a N s horizon" when the scenario set a finite `duration:`, else nothing (the run went until traffic ended). */
function horizonNote(report: Report): string {
  const h = report.sim.horizon_s;
  return typeof h === 'number' && Number.isFinite(h) ? ` of a ${fmt(h)} s horizon` : '';
}

export function renderHtml(report: Report, charts: InlineChart[] = []): string {
  const ids = Object.keys(report.models);
  const colours = colourRange(ids);
  const r = report.requests;
  const parts: string[] = [];
  parts.push(`<h1>${esc(report.scenario)}</h1>`);
  parts.push(
    `<p class="meta">Strategy <b>${esc(report.strategy)}</b> · seed ${report.seed} · routesim ${esc(report.version)} · ` +
      `${fmt(report.sim.end_s)} s simulated${horizonNote(report)} · ${fmt(report.sim.events)} events</p>`,
  );
  if (report.expectations.length > 0) {
    const failed = report.expectations.filter((e) => !e.pass).length;
    parts.push('<h2>Expectations</h2>');
    parts.push(
      `<p>${failed === 0 ? '<span class="pass">All passed</span>' : `<span class="fail">${failed} failed</span>`} of ${report.expectations.length}</p>`,
    );
    parts.push(
      table(
        ['Metric', 'Expected', 'Actual', 'Result'],
        report.expectations.map((e) => [
          `<code>${esc(e.metric)}</code>`,
          `${esc(e.op)} ${fmt(e.value)}`,
          fmt(e.actual),
          e.pass ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>',
        ]),
      ),
    );
  }
  parts.push('<h2>Requests</h2>');
  parts.push(
    table(
      [
        'Total',
        'Completed',
        'Failed',
        'Rejected',
        'Retried',
        'Fallback',
        'Timed out',
        'In flight at horizon',
      ],
      [
        [
          r.total,
          r.completed,
          r.failed,
          r.rejected,
          r.retried,
          r.fallback,
          r.timed_out,
          r.in_flight_at_horizon,
        ].map((x) => fmt(x)),
      ],
      0,
    ),
  );
  parts.push('<h2>Latency (ms)</h2>');
  if (report.latency.e2e_ms.count === 0) parts.push(`<p>${esc(NO_COMPLETED)}</p>`);
  parts.push(
    table(
      ['', 'mean', 'p50', 'p90', 'p99', 'max'],
      [
        latencyRow('Time to first token', report.latency.ttft_ms),
        latencyRow('End to end', report.latency.e2e_ms),
        latencyRow('Time per output token', report.latency.tpot_ms),
        latencyRow('Queue wait', report.latency.queue_ms),
      ],
    ),
  );
  parts.push('<h2>Models</h2>');
  parts.push(
    table(
      [
        'Model',
        'Attempts',
        'Share',
        'Completed',
        'Failed attempts',
        'Refused attempts',
        'TTFT p99',
        'E2E p50',
        'E2E p99',
        'Cache hit',
        'Quota used',
        'Utilization',
      ],
      ids.map((id, i) => {
        const m = report.models[id];
        return [
          `<span class="sw" style="background:${colours[i]}"></span>${esc(id)}`,
          fmt(m.attempts),
          pct(m.share),
          fmt(m.completed),
          fmt(m.failed_attempts),
          fmt(m.refused_attempts),
          lat(m.ttft_ms, m.ttft_ms.p99),
          lat(m.e2e_ms, m.e2e_ms.p50),
          lat(m.e2e_ms, m.e2e_ms.p99),
          pct(m.cache_hit_rate),
          pct(m.quota_used),
          pct(m.utilization),
        ];
      }),
    ),
  );
  const notes = ids.flatMap((id) =>
    report.models[id].notes.map((n) => `<li><b>${esc(id)}</b>: ${esc(n)}</li>`),
  );
  if (notes.length > 0) parts.push(`<ul>${notes.join('')}</ul>`);
  const rt = report.routing;
  parts.push('<h2>Routing</h2>');
  parts.push(
    table(
      [
        'Fallbacks',
        'Retries',
        'Attempted models (mean)',
        'Affinity hits',
        'misses',
        'stale hits',
        'expired',
        'entries',
        'A/B a',
        'A/B b',
        "Jain's index",
        'CV',
      ],
      [
        [
          rt.fallbacks,
          rt.retries,
          rt.attempted_models_mean,
          rt.affinity.hits,
          rt.affinity.misses,
          rt.affinity.stale_hits,
          rt.affinity.expired,
          rt.affinity.entries,
          rt.ab.a,
          rt.ab.b,
          report.balance.jain_index,
          report.balance.cv,
        ].map((x) => fmt(x)),
      ],
      0,
    ),
  );
  const counts = Object.entries(rt.strategy_counts);
  if (counts.length > 0)
    parts.push(
      table(
        ['Decided by', 'Requests'],
        counts.map(([k, v]) => [esc(k), fmt(v)]),
      ),
    );
  parts.push('<h2>Request Router Status</h2>');
  parts.push(`<pre>${esc(report.router_status)}</pre>`);
  if (charts.length > 0) {
    parts.push('<h2>Charts</h2>');
    for (const c of charts) {
      parts.push(
        `<figure id="chart-${esc(c.name)}">${inlineSvg(c.svg)}<figcaption>${esc(c.title)}</figcaption></figure>`,
      );
    }
  }
  return page(`${report.scenario} — routesim report`, parts.join('\n'));
}

/** Renders the report's charts (SVG only) and returns the complete report.html. */
export async function reportHtml(report: Report): Promise<string> {
  // Imported here, not at the top: vega and resvg load only when something is drawn.
  const { renderChartSet } = await import('./charts/render.js');
  return renderHtml(report, await renderChartSet(reportCharts(report), { png: false }));
}

/** Markdown that embeds the written PNGs, for summary.md: `![title](charts/share.png)`, one per line. */
export function chartsMarkdown(charts: WrittenChart[]): string {
  return charts.map((c) => `![${c.title}](${c.png})`).join('\n\n');
}

/**
 * Everything visual for a report directory, in one call: charts/<name>.vl.json|.svg|.png and report.html.
 * Returns the charts written (for chartsMarkdown) and the path of report.html.
 */
export async function writeReportArtifacts(
  report: Report,
  dir: string,
): Promise<{ charts: WrittenChart[]; html: string }> {
  const { writeCharts } = await import('./charts/render.js');
  const { written, rendered } = await writeCharts(reportCharts(report), dir);
  const html = join(dir, 'report.html');
  writeFileAtomic(html, renderHtml(report, rendered));
  return { charts: written, html };
}
