/**
 * Text views of check results: the summary a person reads in a terminal, and GitHub Actions workflow
 * commands (`::error file=…,line=…::…`) that annotate the scenario file in a pull request.
 */
import { relative } from 'node:path';
import type { CheckCase } from './check.js';

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
