/**
 * compare.md (reads well as a pull-request comment, PNGs embedded) and compare.html (self-contained, SVGs
 * inline): the ranked table, the paired differences against the reference variant, and every metric.
 */

import { plusMinus, precisionOf, signed, toPrecisionOf } from '../../core/format.js';
import type { WrittenChart } from '../../report/charts/render.js';
import { colourRange } from '../../report/charts/style.js';
import { metricTitle } from '../../report/check-metrics.js';
import { esc, inlineSvg, page, swatched, table } from '../../report/page.js';
import { markdownTable } from '../../report/tables.js';
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

/**
 * "1,234 ± 56" (mean ± half-width of the 95% interval, both to the half-width's precision; `unit` caps
 * the decimals: 10 µs for ms); "—" without a value.
 */
export function fmtMean(s: MetricSummary | null | undefined, unit = ''): string {
  if (!s) return '—';
  return plusMinus(s.mean, s.half_width, precisionOf(unit));
}

/** "+120 [+80, +160]*": mean paired difference, its interval (all to the interval's precision), * when it excludes 0. */
function fmtDiff(d: Difference | null | undefined, unit = ''): string {
  if (!d) return '—';
  const half = d.low === null || d.high === null ? null : (d.high - d.low) / 2;
  const f = toPrecisionOf(half, precisionOf(unit));
  if (d.low === null || d.high === null) return signed(d.mean, f);
  return `${signed(d.mean, f)} [${signed(d.low, f)}, ${signed(d.high, f)}]${d.significant ? '*' : ''}`;
}

function unitOf(result: CompareResult, path: string): string {
  return result.metrics.find((m) => m.path === path)?.unit ?? '';
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
    ...cols.map((p) => fmtMean(result.results[r.variant][p], unitOf(result, p))),
  ]);
}

function diffRows(result: CompareResult): string[][] {
  const cols = columns(result);
  return result.variants
    .slice(1)
    .map((v) => [v.name, ...cols.map((p) => fmtDiff(result.differences[v.name]?.[p], unitOf(result, p)))]);
}

function allRows(result: CompareResult): string[][] {
  return result.metrics.map((d) => [
    labelOf(result, d.path),
    ...result.variants.map((v) => fmtMean(result.results[v.name][d.path], d.unit)),
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
  return markdownTable({ head, rows, numericFrom: 1 });
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
  const sw = (v: string) => swatched(v, colours[names.indexOf(v)]);
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
    parts.push(`<figure>${inlineSvg(c.svg)}<figcaption>${esc(c.title)}</figcaption></figure>`);
  }
  return page(`Compare: ${result.scenario} — routesim`, parts.join('\n'));
}
