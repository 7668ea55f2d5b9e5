/**
 * JUnit XML for `routesim check --reporter junit`: one <testsuite> per scenario, one <testcase> per
 * expectation or baseline metric, a <failure> with the message when it failed. No timestamps or
 * durations, so the same results give the same bytes.
 */
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
  const failures = cases.filter((c) => !c.pass).length;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(name)}" tests="${cases.length}" failures="${failures}" errors="0">`,
  ];
  for (const [suite, list] of suites) {
    const f = list.filter((c) => !c.pass).length;
    const file = list[0]?.file ?? '';
    out.push(
      `  <testsuite name="${xmlEscape(suite)}" tests="${list.length}" failures="${f}" errors="0" skipped="0" file="${xmlEscape(file)}">`,
    );
    for (const c of list) {
      const attrs = `name="${xmlEscape(c.name)}" classname="${xmlEscape(`routesim.${suite}`)}" file="${xmlEscape(c.file)}" line="${c.line}"`;
      if (c.pass) {
        out.push(`    <testcase ${attrs}><system-out>${xmlEscape(c.message)}</system-out></testcase>`);
      } else {
        out.push(`    <testcase ${attrs}>`);
        out.push(
          `      <failure message="${xmlEscape(c.message)}" type="${c.kind}">${xmlEscape(c.message)}</failure>`,
        );
        out.push('    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
