/**
 * summary.md: the report as a page a reviewer reads in a pull request — the request, latency, model,
 * health-change and routing tables (report/tables.ts, the same as report.html's), the expectations, and the
 * Request Router Status block in a code fence. A function of the Report alone, so it is as reproducible as
 * report.json: wall-clock figures (run time, routing time per decision) live in run.json.
 */
import { int, pct } from '../core/format.js';
import {
  ATTEMPTS_NOTE,
  DRILLS_NOTE,
  decisionsTable,
  drillsTable,
  engineTable,
  expectationsTable,
  healthTable,
  latencyTable,
  markdownTable as md,
  modelsTable,
  NO_COMPLETED,
  replicasTable,
  requestsTable,
  routingTable,
  simulatedLine,
  skippedLine,
  WALL_CLOCK_NOTE,
} from './tables.js';
import type { Report } from './types.js';

/** `chartsMd` (from chartsMarkdown) embeds the PNG charts, so the file reads well as a pull-request comment. */
export function renderSummary(r: Report, chartsMd = ''): string {
  const out: string[] = [];
  out.push(`# routesim report: ${r.scenario}`, '');
  out.push(`Strategy \`${r.strategy}\`, seed ${r.seed}, routesim ${r.version}; ${simulatedLine(r)}.`, '');
  out.push(md(requestsTable(r)), '');
  if (r.requests.skipped_rows > 0) out.push(skippedLine(r.requests.skipped_rows), '');

  out.push('## Latency', '');
  if (r.latency.e2e_ms.count === 0) out.push(NO_COMPLETED, '');
  out.push(md(latencyTable(r)), '');

  out.push('## Models', '');
  out.push(ATTEMPTS_NOTE, '', md(modelsTable(r)), '');
  // A prefix every request shares makes nearly every lookup a hit; the token share is what routing moves.
  if (r.cache !== undefined && r.cache.token_hit_rate > 0) {
    out.push(
      `Caches served ${pct(r.cache.token_hit_rate)} of the prompt tokens looked up ` +
        `(${pct(r.cache.hit_rate)} of lookups found at least one cached token).`,
      '',
    );
  }
  const notes = Object.entries(r.models).flatMap(([id, m]) => m.notes.map((n) => `- **${id}**: ${n}`));
  if (notes.length > 0) out.push(...notes, '');
  const engines = engineTable(r);
  if (engines !== null) out.push('### Serving engines', '', md(engines), '');
  const health = healthTable(r);
  if (health !== null) out.push('### Health changes and detection', '', md(health), '');

  const drills = drillsTable(r);
  if (drills !== null) out.push('## Drills', '', md(drills), '', DRILLS_NOTE, '');

  out.push('## Routing', '');
  out.push(md(routingTable(r)), '');
  const decisions = decisionsTable(r);
  if (decisions !== null) out.push(md(decisions), '');
  const replicas = replicasTable(r);
  if (replicas !== null) out.push('### Router replicas', '', md(replicas), '');

  if (r.expectations.length > 0) {
    const failed = r.expectations.filter((e) => !e.pass).length;
    out.push('## Expectations', '');
    out.push(
      failed === 0
        ? `All ${int(r.expectations.length)} passed.`
        : `**${failed} of ${r.expectations.length} failed.**`,
      '',
    );
    const t = expectationsTable(r);
    t.rows = t.rows.map(([res, metric, ...rest]) => [
      res === 'FAIL' ? '**FAIL**' : res,
      `\`${metric}\``,
      ...rest,
    ]);
    out.push(md(t), '');
  }

  out.push('## Request Router Status', '', '```', r.router_status, '```', '');
  out.push(WALL_CLOCK_NOTE, '');
  if (chartsMd !== '') out.push('## Charts', '', chartsMd, '');
  return out.join('\n');
}
