/**
 * report.html: one self-contained file (charts inline as SVG, styles inline, no script, no network) with
 * the summary tables, the Request Router Status block and every chart. Deterministic: the same report and
 * charts give the same bytes (no dates, no random ids).
 */
import { join } from 'node:path';
import { pct } from '../core/format.js';
import { writeFileAtomic } from '../core/output/atomic-file.js';
import { reportCharts } from './charts/index.js';
import type { WrittenChart } from './charts/render.js';
import { colourRange } from './charts/style.js';
import { esc, inlineSvg, page, swatched, table } from './page.js';
import {
  ATTEMPTS_NOTE,
  DRILLS_NOTE,
  decisionsTable,
  drillsTable,
  engineTable,
  expectationsTable,
  healthTable,
  latencyTable,
  modelsTable,
  NO_COMPLETED,
  replicasTable,
  requestsTable,
  routingTable,
  simulatedLine,
  skippedLine,
  type TextTable,
  WALL_CLOCK_NOTE,
} from './tables.js';
import type { Report } from './types.js';

/** A chart ready to inline: its title and SVG markup. */
export interface InlineChart {
  name: string;
  title: string;
  svg: string;
}

/** A text table as HTML, every cell escaped; `first` decorates the first cell of each row (already escaped). */
function htmlTable(t: TextTable, first: (cell: string, row: number) => string = esc): string {
  return table(
    t.head.map(esc),
    t.rows.map((r, i) => [first(r[0], i), ...r.slice(1).map(esc)]),
    t.numericFrom,
  );
}

/**
 * The report page, from the report and its rendered charts (pure; see reportHtml for the async path). The
 * tables are report/tables.ts's, the same as summary.md's.
 */
export function renderHtml(report: Report, charts: InlineChart[] = []): string {
  const ids = Object.keys(report.models);
  const colours = colourRange(ids);
  const swatch = (id: string) => {
    const i = ids.indexOf(id);
    return swatched(id, colours[i]);
  };
  const parts: string[] = [];
  parts.push(`<h1>${esc(report.scenario)}</h1>`);
  parts.push(
    `<p class="meta">Strategy <b>${esc(report.strategy)}</b> · seed ${report.seed} · routesim ${esc(report.version)} · ` +
      `${esc(simulatedLine(report)).replace(', ', ' · ')}</p>`,
  );
  if (report.expectations.length > 0) {
    const failed = report.expectations.filter((e) => !e.pass).length;
    parts.push('<h2>Expectations</h2>');
    parts.push(
      `<p>${failed === 0 ? '<span class="pass">All passed</span>' : `<span class="fail">${failed} failed</span>`} of ${report.expectations.length}</p>`,
    );
    const t = expectationsTable(report);
    parts.push(
      table(
        t.head.map(esc),
        t.rows.map(([res, metric, expected, actual]) => [
          res === 'pass' ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>',
          `<code>${esc(metric)}</code>`,
          esc(expected),
          esc(actual),
        ]),
        t.numericFrom,
      ),
    );
  }
  parts.push('<h2>Requests</h2>');
  parts.push(htmlTable(requestsTable(report)));
  if (report.requests.skipped_rows > 0)
    parts.push(`<p>${esc(skippedLine(report.requests.skipped_rows))}</p>`);
  parts.push('<h2>Latency</h2>');
  if (report.latency.e2e_ms.count === 0) parts.push(`<p>${esc(NO_COMPLETED)}</p>`);
  parts.push(htmlTable(latencyTable(report)));
  parts.push('<h2>Models</h2>');
  parts.push(`<p>${esc(ATTEMPTS_NOTE)}</p>`);
  parts.push(htmlTable(modelsTable(report), swatch));
  if (report.cache !== undefined && report.cache.token_hit_rate > 0) {
    parts.push(
      `<p>Caches served ${pct(report.cache.token_hit_rate)} of the prompt tokens looked up ` +
        `(${pct(report.cache.hit_rate)} of lookups found at least one cached token).</p>`,
    );
  }
  const notes = ids.flatMap((id) =>
    report.models[id].notes.map((n) => `<li><b>${esc(id)}</b>: ${esc(n)}</li>`),
  );
  if (notes.length > 0) parts.push(`<ul>${notes.join('')}</ul>`);
  const engines = engineTable(report);
  if (engines !== null) {
    parts.push('<h3>Serving engines</h3>');
    parts.push(htmlTable(engines));
  }
  const health = healthTable(report);
  if (health !== null) {
    parts.push('<h3>Health changes and detection</h3>');
    parts.push(htmlTable(health, swatch));
  }
  const drills = drillsTable(report);
  if (drills !== null) {
    parts.push('<h2>Drills</h2>');
    // The model (third column) on one line ("qwen-72b" wrapped at its hyphen); no swatch, which would
    // push this wide table past a 1,100 px page.
    const cell = (c: string, j: number) => (j === 2 ? `<span class="id">${esc(c)}</span>` : esc(c));
    parts.push(
      table(
        drills.head.map(esc),
        drills.rows.map((r) => r.map(cell)),
        drills.numericFrom,
      ),
    );
    parts.push(`<p class="meta">${esc(DRILLS_NOTE)}</p>`);
  }
  parts.push('<h2>Routing</h2>');
  parts.push(htmlTable(routingTable(report)));
  const decisions = decisionsTable(report);
  if (decisions !== null) parts.push(htmlTable(decisions));
  const replicas = replicasTable(report);
  if (replicas !== null) parts.push('<h3>Router replicas</h3>', htmlTable(replicas));
  parts.push('<h2>Request Router Status</h2>');
  parts.push(`<pre>${esc(report.router_status)}</pre>`);
  parts.push(`<p class="meta">${esc(WALL_CLOCK_NOTE)}</p>`);
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
