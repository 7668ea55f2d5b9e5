/**
 * compare.md (reads well as a pull-request comment, PNGs embedded) and compare.html (self-contained, SVGs
 * inline): the ranked table, the paired differences against the reference variant, and every metric.
 */
import type { WrittenChart } from '../../report/charts/render.js';
import { colourRange } from '../../report/charts/style.js';
import { metricTitle } from '../../report/check-metrics.js';
import { esc, fmt, page, table } from '../../report/html.js';
import type { CompareResult, Difference, MetricSummary } from './aggregate.js';

/** Metrics in the ranked table (those present), after the rank metric. */
const TABLE_METRICS = [
  'latency.e2e_ms.p50',
  'latency.e2e_ms.p99',
  'latency.ttft_ms.p50',
  'latency.ttft_ms.p99',
  'cache.token_hit_rate',
  'requests.failed',
  'requests.rejected',
  'routing.fallbacks',
  'routing.retries',
  'balance.jain_index',
];

/** "1,234 ± 56" (mean ± half-width of the 95% interval); "–" without a value. */
export function fmtMean(s: MetricSummary | null | undefined): string {
  if (!s) return '–';
  return s.half_width === null ? fmt(s.mean) : `${fmt(s.mean)} ± ${fmt(s.half_width)}`;
}

/** "+120 [+80, +160]*": mean paired difference, its interval, * when the interval excludes 0. */
function fmtDiff(d: Difference | null | undefined): string {
  if (!d) return '–';
  const sg = (x: number) => `${x > 0 ? '+' : ''}${fmt(x)}`;
  if (d.low === null || d.high === null) return sg(d.mean);
  return `${sg(d.mean)} [${sg(d.low)}, ${sg(d.high)}]${d.significant ? '*' : ''}`;
}

function labelOf(result: CompareResult, path: string): string {
  const d = result.metrics.find((m) => m.path === path);
  return d ? metricTitle(d) : path;
}

function columns(result: CompareResult): string[] {
  const have = new Set(result.metrics.map((m) => m.path));
  return [result.rank_by, ...TABLE_METRICS.filter((p) => p !== result.rank_by)].filter((p) => have.has(p));
}

function rankedRows(result: CompareResult): string[][] {
  const cols = columns(result);
  return result.ranking.map((r) => [
    String(r.rank),
    r.variant,
    ...cols.map((p) => fmtMean(result.results[r.variant][p])),
  ]);
}

function diffRows(result: CompareResult): string[][] {
  const cols = columns(result);
  return result.variants
    .slice(1)
    .map((v) => [v.name, ...cols.map((p) => fmtDiff(result.differences[v.name]?.[p]))]);
}

function allRows(result: CompareResult): string[][] {
  return result.metrics.map((d) => [
    labelOf(result, d.path),
    ...result.variants.map((v) => fmtMean(result.results[v.name][d.path])),
  ]);
}

function intro(result: CompareResult): string {
  const dir = result.metrics.find((m) => m.path === result.rank_by)?.better === 'higher' ? 'higher' : 'lower';
  return (
    `${result.variants.length} variants × ${result.replications} replications, common random numbers ` +
    `(replication i uses seed ${result.seeds.length > 3 ? `${result.seeds.slice(0, 3).join(', ')}, …` : result.seeds.join(', ')} for every variant). ` +
    `Values: mean ± half-width of the Student-t 95% confidence interval. Ranked by ${labelOf(result, result.rank_by)}, ${dir} is better.`
  );
}

function mdTable(head: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** compare.md; `charts` are the written PNGs to embed. */
export function compareMarkdown(result: CompareResult, charts: WrittenChart[] = []): string {
  const cols = columns(result).map((p) => labelOf(result, p));
  const ref = result.variants[0].name;
  const parts = [
    `# Compare: ${result.scenario}`,
    '',
    intro(result),
    '',
    '## Ranking',
    '',
    mdTable(['Rank', 'Variant', ...cols], rankedRows(result)),
    '',
  ];
  if (result.variants.length > 1) {
    parts.push(
      `## Difference against ${ref} (paired by replication)`,
      '',
      `Mean of (variant − ${ref}) per replication, [95% CI]; * = the interval excludes 0.`,
      '',
      mdTable(['Variant', ...cols], diffRows(result)),
      '',
    );
  }
  parts.push(
    '## All metrics',
    '',
    mdTable(['Metric', ...result.variants.map((v) => v.name)], allRows(result)),
    '',
  );
  for (const c of charts) parts.push(`![${c.title}](${c.png})`, '');
  return `${parts.join('\n')}`;
}

/** compare.html, self-contained; `charts` carry the SVGs to inline. */
export function compareHtml(
  result: CompareResult,
  charts: { name: string; title: string; svg: string }[] = [],
): string {
  const cols = columns(result).map((p) => esc(labelOf(result, p)));
  const names = result.variants.map((v) => v.name);
  const colours = colourRange(names);
  const sw = (v: string) =>
    `<span class="sw" style="background:${colours[names.indexOf(v)]}"></span>${esc(v)}`;
  const ref = result.variants[0].name;
  const parts = [
    `<h1>Compare: ${esc(result.scenario)}</h1>`,
    `<p class="meta">${esc(intro(result))}</p>`,
    '<h2>Ranking</h2>',
    table(
      ['Rank', 'Variant', ...cols],
      rankedRows(result).map((r) => [r[0], sw(r[1]), ...r.slice(2).map(esc)]),
      2,
    ),
  ];
  if (result.variants.length > 1) {
    parts.push(
      `<h2>Difference against ${esc(ref)} (paired by replication)</h2>`,
      `<p>Mean of (variant − ${esc(ref)}) per replication, [95% CI]; * = the interval excludes 0.</p>`,
      table(
        ['Variant', ...cols],
        diffRows(result).map((r) => [sw(r[0]), ...r.slice(1).map(esc)]),
      ),
    );
  }
  parts.push(
    '<h2>All metrics</h2>',
    table(
      ['Metric', ...names.map(sw)],
      allRows(result).map((r) => r.map(esc)),
    ),
  );
  for (const c of charts) {
    parts.push(
      `<figure>${c.svg.replace(/^<\?xml[^>]*>\s*/, '')}<figcaption>${esc(c.title)}</figcaption></figure>`,
    );
  }
  return page(`Compare: ${result.scenario} — routesim`, parts.join('\n'));
}
