/**
 * `routesim check`'s judgement, as pure functions of reports: the scenario's expectations and, with a
 * baseline, every standard metric against its stored value within tolerances. Each judgement is a
 * CheckCase; the text, JUnit and GitHub-annotation reporters are all views of the same list.
 *
 * Tolerances: a metric passes when |new - base| <= abs_tol OR |new - base| <= rel_tol * |base| (either is
 * enough). Defaults per kind (check-metrics.ts): latencies 10% or 5 ms, counts 10% or 2 requests, ratios
 * 5% or 0.02. `--rel-tol` / `--abs-tol` replace them for every metric; a baseline file may set its own per
 * metric under `tolerances`. A move beyond tolerance in the better direction passes, flagged "improved".
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../../core/errors.js';
import { num, numBeside, precisionOf, unitOfPath } from '../../core/format.js';
import { type Better, metricValue, standardMetrics } from '../../report/check-metrics.js';
import type { Report } from '../../report/types.js';
import type { Expectation } from '../../scenario/types.js';

export interface CheckCase {
  /** The scenario (JUnit suite). */
  suite: string;
  /** e.g. `expect latency.e2e_ms.p99 < 4000` or `baseline latency.e2e_ms.p99`. */
  name: string;
  /** 'error': the scenario could not be judged at all (errors.ts); JUnit writes an <error>. */
  kind: 'expect' | 'baseline' | 'error';
  /** For kind 'error': the exit code the file alone would have given (2 invalid input, 3 internal error). */
  exit?: number;
  pass: boolean;
  /** One line a person reads: what was expected, what came, by how much it moved. */
  message: string;
  /** Where to point an annotation: the expectation's line, or the scenario file for baselines. */
  file: string;
  line: number;
  column: number;
  /** Set for a baseline metric that moved beyond tolerance in the better direction. */
  improved?: boolean;
}

/**
 * The scenario's expectations as cases, from the report's own evaluation (report.expectations, same
 * order as scenario.expect), located at the line and column where each was written.
 */
export function expectationCases(report: Report, expect: readonly Expectation[], file: string): CheckCase[] {
  return report.expectations.map((e, i) => {
    const where = expect[i] && expect[i].metric === e.metric ? expect[i] : { line: 0, column: 0 };
    const name = `expect ${e.metric} ${e.op} ${e.value}`;
    const message =
      e.actual === null
        ? `${e.metric} has no value in the report (expected ${e.op} ${fmt(e.value)})`
        : `${e.metric} = ${numBeside(e.actual, e.value, precisionOf(unitOfPath(e.metric)))}, expected ${e.op} ${fmt(e.value)}`;
    return {
      suite: report.scenario,
      name,
      kind: 'expect',
      pass: e.pass,
      message,
      file,
      line: where.line,
      column: where.column,
    };
  });
}

/** What a baseline stores: the standard metrics of one report, plus optional per-metric tolerances. */
export interface Baseline {
  scenario: string;
  seed: number;
  version: string;
  metrics: Record<string, number | null>;
  tolerances?: Record<string, { rel?: number; abs?: number }>;
}

/** The baseline of a report (its standard metrics); `keep` carries tolerances over from an old baseline. */
export function baselineOf(report: Report, keep?: Baseline | null): Baseline {
  const metrics: Record<string, number | null> = {};
  for (const d of standardMetrics(Object.keys(report.models))) metrics[d.path] = metricValue(report, d.path);
  return {
    scenario: report.scenario,
    seed: report.seed,
    version: report.version,
    metrics,
    ...(keep?.tolerances ? { tolerances: keep.tolerances } : {}),
  };
}

/** baseline JSON text: stable key order, two-space indent, trailing newline (diffs well in a PR). */
export function baselineJson(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

/**
 * Reads a baseline file: a baseline (has `metrics`) or a whole report.json (its standard metrics are
 * taken). Null when the file does not exist; UserError when it is not JSON of either shape.
 */
export async function readBaseline(path: string): Promise<Baseline | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`baseline ${path} is not JSON: ${(err as Error).message}`, [
      { file: path, line: 0, column: 0, message: 'not JSON' },
    ]);
  }
  const o = json as Record<string, unknown>;
  if (o && typeof o === 'object' && o.metrics && typeof o.metrics === 'object')
    return o as unknown as Baseline;
  if (o && typeof o === 'object' && o.models && o.latency && o.requests)
    return baselineOf(o as unknown as Report);
  throw new UserError(`baseline ${path} is neither a routesim baseline nor a report.json`, [
    { file: path, line: 0, column: 0, message: 'expected an object with `metrics`, or a report.json' },
  ]);
}

/** A figure in a check message: 3 significant digits, whole from 1,000 (core/format.ts). */
const fmt = (x: number | null | undefined) => num(x);

export interface ToleranceOverride {
  rel_tol?: number;
  abs_tol?: number;
}

/** "+1,100 ms, +26.8%" — how far a metric moved. */
function delta(base: number, now: number, unit: string): string {
  const d = now - base;
  const sign = d > 0 ? '+' : '';
  const u = unit && unit !== 'requests' ? ` ${unit}` : '';
  const rel = base !== 0 ? `, ${sign}${fmt((d / Math.abs(base)) * 100)}%` : '';
  return `${sign}${fmt(d)}${u}${rel}`;
}

function isBetter(better: Better, d: number): boolean {
  return (better === 'lower' && d < 0) || (better === 'higher' && d > 0);
}

/**
 * Every standard metric of `report` (and every metric the baseline has) against the baseline. A metric in
 * the baseline but missing now fails; a metric new in the report passes, noted as new.
 */
export function baselineCases(
  report: Report,
  baseline: Baseline,
  file: string,
  override: ToleranceOverride = {},
): CheckCase[] {
  const defs = standardMetrics(Object.keys(report.models));
  const known = new Set(defs.map((d) => d.path));
  for (const path of Object.keys(baseline.metrics)) {
    if (!known.has(path)) {
      defs.push({ path, label: path, better: 'none', unit: '', rel_tol: 0.05, abs_tol: 0 });
      known.add(path);
    }
  }
  const cases: CheckCase[] = [];
  for (const d of defs) {
    const perFile = baseline.tolerances?.[d.path];
    const rel = override.rel_tol ?? perFile?.rel ?? d.rel_tol;
    const abs = override.abs_tol ?? perFile?.abs ?? d.abs_tol;
    const now = metricValue(report, d.path);
    // Values to the precision of the metric's unit, as summary.md prints the same figure (TTFT p50 203.5,
    // not 204); a value beside the other it differs from never prints the same (numBeside).
    const p = precisionOf(d.unit);
    const v = (x: number | null | undefined) => num(x, p);
    const beside = (x: number, y: number) => numBeside(x, y, p);
    const had = Object.hasOwn(baseline.metrics, d.path);
    const base = had ? baseline.metrics[d.path] : undefined;
    const c = {
      suite: report.scenario,
      name: `baseline ${d.path}`,
      kind: 'baseline' as const,
      file,
      line: 1,
      column: 1,
    };
    if (!had) {
      cases.push({ ...c, pass: true, message: `${d.path} = ${v(now)} (new: not in the baseline)` });
      continue;
    }
    if (base === null || now === null || base === undefined) {
      const pass = base === now || (base === undefined && now === null);
      cases.push({
        ...c,
        pass,
        message: pass
          ? `${d.path}: no value, as in the baseline`
          : `${d.path}: ${v(base)} in the baseline, now ${v(now)}`,
      });
      continue;
    }
    const diff = now - base;
    const within = Math.abs(diff) <= abs || Math.abs(diff) <= rel * Math.abs(base);
    const tol = `tolerance ${fmt(rel * 100)}% or ${fmt(abs)}${d.unit && d.unit !== 'requests' ? ` ${d.unit}` : ''}`;
    if (within) {
      cases.push({
        ...c,
        pass: true,
        message: `${d.path} = ${v(now)} (baseline ${beside(base, now)}, ${delta(base, now, d.unit)}; ${tol})`,
      });
    } else if (isBetter(d.better, diff)) {
      cases.push({
        ...c,
        pass: true,
        improved: true,
        message: `${d.path} improved: ${beside(base, now)} → ${beside(now, base)} (${delta(base, now, d.unit)}; ${tol}); --update-baseline to keep it`,
      });
    } else {
      cases.push({
        ...c,
        pass: false,
        // A metric with no better direction (a share) did not get worse, it moved: say so.
        message: `${d.path} ${d.better === 'none' ? 'changed' : 'regressed'}: ${beside(base, now)} → ${beside(now, base)} (${delta(base, now, d.unit)}; ${tol})`,
      });
    }
  }
  return cases;
}
