/**
 * The scenario's `expect:` block, evaluated against a report. A metric is a dotted path into the report
 * (`requests.failed`, `latency.e2e_ms.p99`, `models.<id>.share`, `routing.affinity.hits`); model ids may
 * themselves contain dots (`llama-3.1-8b`): at each level the longest run of segments naming a key wins.
 * A path that does not lead to a number fails with actual = null, except a strategy that made no decision
 * (`routing.strategy_counts.<name>`, left out of the report when 0), which reads as 0.
 */
import type { Expectation, ExpectOp } from '../scenario/types.js';

export interface ExpectationResult {
  metric: string;
  op: string;
  value: number;
  actual: number | null;
  pass: boolean;
}

/** The number at `metric` in `obj`, or null when the path leads nowhere or to a non-number. */
export function resolveMetric(obj: unknown, metric: string): number | null {
  return walk(obj, metric.split('.'));
}

function walk(obj: unknown, segs: string[]): number | null {
  if (segs.length === 0) return typeof obj === 'number' ? obj : null;
  if (obj === null || typeof obj !== 'object') return null;
  const rec = obj as Record<string, unknown>;
  for (let k = segs.length; k >= 1; k--) {
    const key = segs.slice(0, k).join('.');
    if (Object.hasOwn(rec, key)) {
      const r = walk(rec[key], segs.slice(k));
      if (r !== null) return r;
    }
  }
  return null;
}

function compare(actual: number, op: ExpectOp | string, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
    default:
      return false;
  }
}

const COUNTS = 'routing.strategy_counts.';

/** Evaluate every expectation, in order. */
export function evaluateExpectations(report: unknown, expect: readonly Expectation[]): ExpectationResult[] {
  return expect.map((e) => {
    let actual = resolveMetric(report, e.metric);
    if (actual === null && e.metric.startsWith(COUNTS) && !e.metric.slice(COUNTS.length).includes('.'))
      actual = 0;
    return {
      metric: e.metric,
      op: e.op,
      value: e.value,
      actual,
      pass: actual !== null && compare(actual, e.op, e.value),
    };
  });
}
