/**
 * Text views of check results: the summary a person reads in a terminal, and GitHub Actions workflow
 * commands (`::error file=…,line=…::…`) that annotate the scenario file in a pull request.
 */
import { relative } from 'node:path';
import { num, numBeside } from '../../core/format.js';
import type { Baseline, CheckCase } from './check.js';

/** One line per failure and improvement, then a count; passing cases stay quiet unless `verbose`. */
export function checkText(cases: readonly CheckCase[], verbose = false): string {
  const lines: string[] = [];
  let suite = '';
  for (const c of cases) {
    if (c.pass && !c.improved && !verbose) continue;
    if (c.suite !== suite) {
      suite = c.suite;
      lines.push(`${suite}:`);
    }
    const mark = c.pass ? (c.improved ? 'IMPROVED' : 'ok') : c.kind === 'error' ? 'ERROR' : 'FAIL';
    const where = c.kind === 'expect' && c.line > 0 ? ` (${c.file}:${c.line}:${c.column})` : '';
    lines.push(`  ${mark.padEnd(8)} ${c.message}${where}`);
  }
  const failed = cases.filter((c) => !c.pass).length;
  const suites = new Set(cases.map((c) => c.suite)).size;
  const errors = cases.filter((c) => c.kind === 'error').length;
  lines.push(
    failed === 0
      ? `check passed: ${cases.length} checks in ${suites} scenario(s)`
      : `check FAILED: ${failed} of ${cases.length} checks in ${suites} scenario(s)` +
          (errors > 0 ? `; ${errors} scenario(s) could not run` : ''),
  );
  return `${lines.join('\n')}\n`;
}

/** Escapes per GitHub's workflow-command rules (data: %, CR, LF; properties also : and ,). */
function escData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escProp(s: string): string {
  return escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…,col=…,title=…::message` for each failed case; paths relative to `cwd`. */
export function githubAnnotations(cases: readonly CheckCase[], cwd = process.cwd()): string {
  return cases
    .filter((c) => !c.pass)
    .map((c) => {
      const file = c.file ? relative(cwd, c.file) || c.file : '';
      const props = [
        file ? `file=${escProp(file)}` : '',
        c.line > 0 ? `line=${c.line}` : '',
        c.column > 0 ? `col=${c.column}` : '',
        `title=${escProp(`routesim ${c.suite}: ${c.name}`)}`,
      ].filter(Boolean);
      return `::error ${props.join(',')}::${escData(c.message)}\n`;
    })
    .join('');
}

/** Changed metrics listed by name in a baseline note before the rest are only counted. */
const LISTED_CHANGES = 8;

/**
 * What `check --update-baseline` wrote to `path`: created (with how many metrics), unchanged, or which
 * metrics moved (old → new), which were added and which removed.
 */
export function baselineUpdateNote(path: string, old: Baseline | null, next: Baseline): string {
  const n = Object.keys(next.metrics).length;
  if (old === null) return `created baseline ${path}: ${n} metrics of ${next.scenario} (seed ${next.seed})`;
  const changed: string[] = [];
  const added: string[] = [];
  for (const [metric, v] of Object.entries(next.metrics)) {
    if (!Object.hasOwn(old.metrics, metric)) added.push(metric);
    else if (old.metrics[metric] !== v) {
      const was = old.metrics[metric];
      const before = was === null ? 'no value' : v === null ? num(was) : numBeside(was, v);
      const after = v === null ? 'no value' : was === null ? num(v) : numBeside(v, was);
      changed.push(`${metric} ${before} → ${after}`);
    }
  }
  const removed = Object.keys(old.metrics).filter((p) => !Object.hasOwn(next.metrics, p));
  const meta = [
    old.seed !== next.seed ? `seed ${old.seed} → ${next.seed}` : '',
    old.version !== next.version ? `version ${old.version} → ${next.version}` : '',
  ].filter(Boolean);
  if (changed.length + added.length + removed.length === 0)
    return `baseline ${path} unchanged: ${n} metrics${meta.length > 0 ? ` (${meta.join(', ')})` : ''}`;
  const parts: string[] = [];
  if (changed.length > 0) {
    const shown = changed.slice(0, LISTED_CHANGES).join(', ');
    const more = changed.length > LISTED_CHANGES ? ` and ${changed.length - LISTED_CHANGES} more` : '';
    parts.push(`${changed.length} of ${n} metrics changed: ${shown}${more}`);
  }
  if (added.length > 0) parts.push(`added ${added.join(', ')}`);
  if (removed.length > 0) parts.push(`removed ${removed.join(', ')}`);
  return `updated baseline ${path}: ${[...parts, ...meta].join('; ')}`;
}
