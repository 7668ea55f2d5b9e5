/**
 * JUnit XML for `routesim check --reporter junit`: one <testsuite> per scenario, one <testcase> per
 * expectation or baseline metric, a <failure> with the message when it failed, and an <error> for a
 * scenario that could not run (invalid input or an internal error). No timestamps or durations, so the
 * same results give the same bytes.
 */
import { EXIT_INVALID_INPUT } from '../../core/errors.js';
import type { CheckCase } from './check.js';

/** Control characters XML 1.0 forbids (tab, LF and CR are allowed). */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** Escapes text for XML attributes and content. */
function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(XML_FORBIDDEN, '');
}

/** The JUnit XML document for these cases, grouped by suite in first-seen order. */
export function toJunit(cases: readonly CheckCase[], name = 'routesim check'): string {
  const suites = new Map<string, CheckCase[]>();
  for (const c of cases) {
    const list = suites.get(c.suite) ?? [];
    list.push(c);
    suites.set(c.suite, list);
  }
  const failed = (list: readonly CheckCase[]) => list.filter((c) => !c.pass && c.kind !== 'error').length;
  const errored = (list: readonly CheckCase[]) => list.filter((c) => c.kind === 'error').length;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(name)}" tests="${cases.length}" failures="${failed(cases)}" errors="${errored(cases)}">`,
  ];
  for (const [suite, list] of suites) {
    const file = list[0]?.file ?? '';
    out.push(
      `  <testsuite name="${xmlEscape(suite)}" tests="${list.length}" failures="${failed(list)}" errors="${errored(list)}" skipped="0" file="${xmlEscape(file)}">`,
    );
    for (const c of list) {
      const attrs = `name="${xmlEscape(c.name)}" classname="${xmlEscape(`routesim.${suite}`)}" file="${xmlEscape(c.file)}" line="${c.line}"`;
      if (c.pass) {
        out.push(`    <testcase ${attrs}><system-out>${xmlEscape(c.message)}</system-out></testcase>`);
      } else {
        const [el, type] =
          c.kind === 'error'
            ? ['error', c.exit === EXIT_INVALID_INPUT ? 'invalid input' : 'internal error']
            : ['failure', c.kind];
        out.push(`    <testcase ${attrs}>`);
        out.push(
          `      <${el} message="${xmlEscape(c.message)}" type="${type}">${xmlEscape(c.message)}</${el}>`,
        );
        out.push('    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
