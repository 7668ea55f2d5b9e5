/**
 * sweep.md: what was swept, the best variants by the chosen metric, and one row per variant with its axis
 * values and the mean ± 95% half-width of a few key metrics (sweep.json has them all).
 */
import type { WrittenChart } from '../../report/charts/render.js';
import { metricTitle } from '../../report/check-metrics.js';
import { fmtMean } from '../compare/format.js';
import type { SweepResult } from './sweep.js';

/** Metrics in the table besides the chosen one (those the sweep has). */
const TABLE_METRICS = [
  'latency.e2e_ms.p99',
  'latency.ttft_ms.p99',
  'requests.completed',
  'requests.rejected',
  'routing.fallbacks',
];

/** Rows of the "best" list. */
const TOP = 10;

export function sweepMarkdown(result: SweepResult, charts: readonly WrittenChart[] = []): string {
  const d = result.definition;
  const metricDef = (p: string) => d.metrics.find((m) => m.path === p);
  const head = (p: string) => {
    const m = metricDef(p);
    return m ? metricTitle(m) : p;
  };
  const cols = [d.metric, ...TABLE_METRICS.filter((p) => p !== d.metric && metricDef(p))];
  const lines: string[] = [];
  lines.push(`# Sweep: ${d.scenario}`, '');
  lines.push(
    `${result.variants.length} variants × ${d.replications} replication${d.replications === 1 ? '' : 's'} ` +
      `= ${d.cells} runs of \`${d.file}\` (routesim ${d.version}, base seed ${d.base_seed}, ` +
      `seeds ${d.seeds.join(', ')}; the same seeds for every variant).`,
    '',
  );
  for (const a of d.axes) lines.push(`- \`${a.key}\`: ${a.values.map((v) => `\`${v}\``).join(', ')}`);
  lines.push('', `Fingerprint \`${result.fingerprint.slice(0, 16)}\`.`, '');
  for (const c of charts) lines.push(`![${c.title}](${c.png})`, '');
  const top = result.ranking.slice(0, TOP);
  lines.push(`## Best by ${head(d.metric)}`, '', `| rank | variant | ${head(d.metric)} |`, '|---:|---|---:|');
  for (const r of top)
    lines.push(
      `| ${r.rank} | ${r.variant} | ${fmtMean(result.results[r.variant]?.[d.metric], metricDef(d.metric)?.unit)} |`,
    );
  lines.push('', '## Every variant (mean ± 95% half-width)', '');
  lines.push(`| ${[...d.axes.map((a) => `\`${a.key}\``), ...cols.map(head)].join(' | ')} |`);
  lines.push(`|${[...d.axes.map(() => '---'), ...cols.map(() => '---:')].join('|')}|`);
  for (const v of result.variants) {
    const cells = cols.map((p) => fmtMean(result.results[v.name]?.[p], metricDef(p)?.unit));
    lines.push(`| ${[...v.coords, ...cells].join(' | ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}
