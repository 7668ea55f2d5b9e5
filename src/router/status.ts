/**
 * The "Request Router Status" block, as the original router printed it, from a RouterStats.
 * Counts carry thousands separators; times are microseconds with two decimals.
 */
import { formatCount as int } from '../core/format.js';
import type { RouterStats } from './stats.js';

const RULE = '='.repeat(60);

function us(v: number): string {
  return `${v.toFixed(2)}µs`;
}

export function formatStatus(strategy: string, s: RouterStats): string {
  const lines = [
    'Request Router Status',
    RULE,
    `Strategy: ${strategy}`,
    `Total routes: ${int(s.total_routes)}`,
    `Successful: ${int(s.successful)}`,
    `Failed: ${int(s.failed)}`,
    `Fallback: ${int(s.fallbacks)}`,
    `Retries: ${int(s.retries)}`,
    `Rejected: ${int(s.rejected)}`,
    `Avg routing time: ${s.routing_time_us ? us(s.routing_time_us.mean) : 'not measured'}`,
    `P99 routing time: ${s.routing_time_us ? us(s.routing_time_us.p99) : 'not measured'}`,
    '',
    'Per-Strategy Counts:',
    ...Object.entries(s.strategy_counts).map(([name, n]) => `  ${name}: ${int(n)}`),
    '',
    `Affinity entries: ${int(s.affinity.entries)}`,
    `Affinity hits/misses/expired: ${int(s.affinity.hits)} / ${int(s.affinity.misses)} / ${int(s.affinity.expired)}`,
  ];
  if (s.ab.a + s.ab.b > 0) lines.push(`A/B: model_a ${int(s.ab.a)}, model_b ${int(s.ab.b)}`);
  lines.push(RULE);
  return lines.join('\n');
}
