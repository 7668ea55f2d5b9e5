/**
 * The scenario loader: YAML text -> a typed Scenario with every default filled, or every problem found,
 * each with file, line and column. Overrides (CLI flags, sweep `--set`, variants) are applied to the plain
 * data before validation, so they are checked like the file. Never throws for bad input.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { MAX_SCENARIO_BYTES } from '../core/limits.js';
import { checkBudget } from './budget.js';
import { checkReferences } from './checks.js';
import { stageMetricIssues } from './metrics.js';
import { applyOverrides } from './overrides.js';
import { type DataPath, locate, type ParsedYaml, parseYaml } from './positions.js';
import { markUnloadable, resolveFiles } from './resolve.js';
import { type RawScenario, scenarioSchema } from './schema.js';
import { checkStrategyOptions } from './strategy-options.js';
import { toScenario } from './transform.js';
import type { Scenario } from './types.js';
import { fromZodIssues, type RawIssue } from './zod-issues.js';

/** One problem, where it is. Line and column are 1-based; 0 when it came from an override, not the file. */
export interface ScenarioIssue {
  path: (string | number)[];
  file: string;
  line: number;
  column: number;
  message: string;
  suggestion?: string;
}

export type LoadResult =
  | { ok: true; scenario: Scenario; warnings: ScenarioIssue[] }
  | { ok: false; issues: ScenarioIssue[] };

/** What a load changes in the file (CLI flags, sweep cells, compare variants): checked like the file. */
export interface LoadOptions {
  /** Dotted path -> value, applied before validation (e.g. { 'router.strategy': 'cache_aware' }). */
  overrides?: Record<string, unknown>;
  /** Replaces the file's seed. */
  seed?: number;
  /** The file is served by `routesim gateway`: real requests are its traffic, so nothing need bound it. */
  serving?: boolean;
}

/** Reads and loads a scenario file; a file that cannot be read is an issue too. */
export function loadScenarioFile(path: string, opts: LoadOptions = {}): LoadResult {
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_SCENARIO_BYTES) return { ok: false, issues: [tooLarge(path, bytes)] };
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : (err as Error).message;
    return {
      ok: false,
      issues: [{ path: [], file: path, line: 0, column: 0, message: `cannot read scenario: ${why}` }],
    };
  }
  return loadScenario(text, path, opts);
}

/**
 * Loads scenario text. `file` is used in messages (as given) and, resolved, as the folder that relative
 * paths in the scenario (trace, profile, gguf path, sample files) are read from ('' = current folder).
 */
export function loadScenario(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  const shown = file || '<scenario>';
  // Checked before parsing: the YAML tree of a huge file is many times its size.
  if (text.length > MAX_SCENARIO_BYTES) return { ok: false, issues: [tooLarge(shown, text.length)] };
  const parsed = parseYaml(text);
  const at = (
    path: DataPath,
    message: string,
    pos = { line: 1, column: 1 },
    suggestion?: string,
  ): ScenarioIssue => ({
    path,
    file: shown,
    line: pos.line,
    column: pos.column,
    message,
    ...(suggestion ? { suggestion } : {}),
  });
  if (parsed.errors.length > 0) {
    return { ok: false, issues: parsed.errors.map((e) => at([], `YAML syntax: ${e.message}`, e.position)) };
  }
  const warnings: ScenarioIssue[] = parsed.warnings.map((w) => at([], w.message, w.position));
  if (parsed.data === null || parsed.data === undefined) {
    return { ok: false, issues: [at([], 'the file is empty: a scenario needs at least `models:`')] };
  }

  const overrides = { ...(opts.overrides ?? {}) };
  if (opts.seed !== undefined) overrides.seed = opts.seed;
  const ov = applyOverrides(withoutExtensions(parsed.data), overrides);
  const place = placer(parsed, shown, ov.applied);
  const issues: ScenarioIssue[] = ov.problems.map((p) => ({
    path: [],
    file: shown,
    line: 0,
    column: 0,
    message: `override \`${p.key}\`: ${p.message}`,
    ...(p.suggestion ? { suggestion: p.suggestion } : {}),
  }));
  if (!isMapping(parsed.data)) {
    return {
      ok: false,
      issues: [at([], 'a scenario is a mapping of keys (name, models, traffic, ...), not a list or a value')],
    };
  }

  const checked = validate(ov.data, opts.serving === true);
  issues.push(...checked.issues.map(place));
  issues.push(...validateVariants(ov.data, parsed, shown));
  if (issues.length > 0 || !checked.raw) return { ok: false, issues: sortIssues(dedupe(issues)) };

  const abs = file ? resolve(file) : '';
  const read = resolveFiles(checked.raw, abs ? dirname(abs) : process.cwd());
  const ctx = {
    file: abs,
    defaultName: abs ? basename(abs, extname(abs)) : 'scenario',
    locate: (path: DataPath) => locate(parsed, path),
  };
  const built = toScenario(checked.raw, read.files, ctx);
  warnings.push(...read.warnings.map(place), ...built.warnings.map(place));
  const fileIssues = [...read.issues, ...built.issues];
  if (fileIssues.length > 0 || !built.scenario)
    return { ok: false, issues: sortIssues(fileIssues.map(place)) };
  markUnloadable(built.scenario.models, read.files);
  const optionIssues = checkStrategyOptions(built.scenario, checked.raw.events ?? []);
  optionIssues.push(...stageMetricIssues(built.scenario));
  // A served file runs in real time: the simulation's event budget does not apply.
  if (opts.serving !== true) optionIssues.push(...budgetOf(built.scenario, checked.raw));
  const problems = optionIssues.map(place);
  // A variant's numbers may add up past a limit (its duration times the file's rate): build it to see.
  problems.push(
    ...variantBudgets(ov.data, parsed, shown, (raw) => toScenario(raw, read.files, ctx).scenario),
  );
  if (problems.length) return { ok: false, issues: sortIssues(problems) };
  return { ok: true, scenario: built.scenario, warnings };
}

function budgetOf(s: Scenario, raw: RawScenario): RawIssue[] {
  return checkBudget(s, { timelineIntervalGiven: raw.timeline?.interval !== undefined });
}

/** Budget problems of each variant that validates, at the variant's overrides. */
function variantBudgets(
  data: unknown,
  parsed: ParsedYaml,
  file: string,
  build: (raw: RawScenario) => Scenario | null,
): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const variants = (data as { variants?: unknown }).variants;
  if (!Array.isArray(variants)) return out;
  variants.forEach((v, i) => {
    if (!isMapping(v) || !isMapping(v.overrides)) return;
    const { raw } = validate(applyOverrides(data, v.overrides as Record<string, unknown>).data);
    const scenario = raw && build(raw);
    if (!scenario || !raw) return;
    const where = locate(parsed, ['variants', i, 'overrides']);
    for (const issue of budgetOf(scenario, raw)) {
      out.push({
        path: ['variants', i, 'overrides'],
        file,
        ...pos(where),
        message: `variant \`${String(v.name ?? i)}\`: ${dotted(issue.path)}: ${issue.message}`,
        ...(issue.suggestion ? { suggestion: issue.suggestion } : {}),
      });
    }
  });
  return out;
}

function tooLarge(file: string, size: number): ScenarioIssue {
  const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
  return {
    path: [],
    file,
    line: 0,
    column: 0,
    message: `the file is ${mib(size)}; a scenario is at most ${mib(MAX_SCENARIO_BYTES)}`,
    suggestion: 'put long sample lists in an empirical `file:` and traffic in a trace',
  };
}

/**
 * Schema and cross-reference problems of plain data, and the parsed form when there are none. zod's
 * `jitless` path: a scenario is parsed once or twice per process, and compiling a fast path per object
 * schema (`new Function`) first cost more than it saved (~15 ms of a `validate`).
 */
function validate(data: unknown, serving = false): { issues: RawIssue[]; raw: RawScenario | null } {
  const result = scenarioSchema.safeParse(data, { reportInput: true, jitless: true });
  const issues = result.success ? [] : fromZodIssues(result.error.issues, scenarioSchema);
  issues.push(...checkReferences(data, serving));
  return { issues, raw: result.success && issues.length === 0 ? result.data : null };
}

/** Each variant's overrides applied to the scenario and validated; problems point at the override. */
function validateVariants(data: unknown, parsed: ParsedYaml, file: string): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const variants = (data as { variants?: unknown }).variants;
  if (!Array.isArray(variants)) return out;
  variants.forEach((v, i) => {
    if (!isMapping(v) || !isMapping(v.overrides)) return;
    const name = typeof v.name === 'string' ? v.name : String(i);
    const ov = applyOverrides(data, v.overrides as Record<string, unknown>);
    const where = (key: string) => locate(parsed, ['variants', i, 'overrides', key], { key: true });
    for (const p of ov.problems) {
      out.push({
        path: ['variants', i, 'overrides', p.key],
        file,
        ...pos(where(p.key)),
        message: `variant \`${name}\`: override \`${p.key}\`: ${p.message}`,
        ...(p.suggestion ? { suggestion: p.suggestion } : {}),
      });
    }
    for (const issue of validate(ov.data).issues) {
      const hit = ov.applied.find((a) => startsWith(issue.path, a.path));
      if (!hit) continue; // a problem of the scenario itself, reported once already
      out.push({
        path: ['variants', i, 'overrides', hit.key],
        file,
        ...pos(where(hit.key)),
        message: `variant \`${name}\`: override \`${hit.key}\`: ${issue.message}`,
        ...(issue.suggestion ? { suggestion: issue.suggestion } : {}),
      });
    }
  });
  return out;
}

/** Attaches a position: the node in the file, or the override that put the value there. */
function placer(parsed: ParsedYaml, file: string, applied: { key: string; path: DataPath }[]) {
  return (issue: RawIssue): ScenarioIssue => {
    const hit = applied.find((a) => startsWith(issue.path, a.path));
    const where = hit ? { line: 0, column: 0 } : locate(parsed, issue.path, { key: issue.atKey });
    const label = issue.path.length ? `${dotted(issue.path)}: ` : '';
    return {
      path: issue.path,
      file,
      ...where,
      message: hit ? `override \`${hit.key}\`: ${issue.message}` : `${label}${issue.message}`,
      ...(issue.suggestion ? { suggestion: issue.suggestion } : {}),
    };
  };
}

/** ['models', 0, 'latency'] -> "models[0].latency". */
function dotted(path: DataPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function startsWith(path: DataPath, prefix: DataPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(path[i]) === String(s));
}

function pos(p: { line: number; column: number }) {
  return { line: p.line, column: p.column };
}

/** Top-level `x-...` keys are the user's own (a place for YAML anchors), as in docker-compose files. */
function withoutExtensions(data: unknown): unknown {
  if (!isMapping(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('x-')));
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dedupe(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.line}:${i.column}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** File order (line, column); override problems (line 0) last, in the order given. */
function sortIssues(issues: ScenarioIssue[]): ScenarioIssue[] {
  const rank = (i: ScenarioIssue) => (i.line === 0 ? Number.POSITIVE_INFINITY : i.line * 1e6 + i.column);
  return issues
    .map((i, n) => ({ i, n }))
    .sort((a, b) => rank(a.i) - rank(b.i) || a.n - b.n)
    .map((x) => x.i);
}

/** The CLI's UserError (exit 2) carrying every issue as a positioned problem. */
export function scenarioIssuesToUserError(issues: ScenarioIssue[]): UserError {
  const files = [...new Set(issues.map((i) => i.file))];
  const n = issues.length;
  return new UserError(
    `${n} problem${n === 1 ? '' : 's'} in ${files.join(', ') || 'the scenario'}`,
    issues.map((i) => ({
      file: i.file,
      line: i.line,
      column: i.column,
      message: i.message,
      ...(i.suggestion ? { suggestion: i.suggestion } : {}),
    })),
  );
}
