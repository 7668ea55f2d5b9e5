/**
 * The README's report section is the reference CI authors read: its field list must be the report's own
 * keys, each count of `requests`, `models.<id>` and `routing.affinity` must be defined in its "What each
 * count counts" list, and the quickstart figures it quotes (3,000 requests, 3,025 attempts, 25 failed
 * attempts retried elsewhere) must be what a run gives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import type { Report } from '../src/report/types.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = README.slice(README.indexOf('## The report'), README.indexOf('## Gating CI'));
let report: Report;

beforeAll(async () => {
  const r = loadScenarioFile(join(ROOT, 'scenarios', 'quickstart.yaml'));
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  report = (await runScenario(r.scenario)).report;
});

/** The keys listed in the report block after `label` (up to the closing brace of that group). */
function listed(label: string): string[] {
  const at = section.indexOf(label);
  expect(at, label).toBeGreaterThanOrEqual(0);
  const open = section.indexOf('{', at + label.length - 1);
  const close = section.indexOf('}', open);
  return section
    .slice(open + 1, close)
    .split(',')
    .map((k) => k.trim().replace(/:.*$/, ''))
    .filter(Boolean);
}

describe("the README's report section", () => {
  it('lists the report keys of requests, models and routing.affinity', () => {
    expect(listed('requests:')).toEqual(Object.keys(report.requests));
    const model = Object.values(report.models)[0]!;
    expect(listed('<id>: {')).toEqual(Object.keys(model));
    expect(listed('affinity:')).toEqual(Object.keys(report.routing.affinity));
  });

  it('defines every count of requests, models.<id> and routing.affinity', () => {
    const defs = section.slice(section.indexOf('What each count counts'));
    const model = Object.values(report.models)[0]!;
    const counts = [
      ...Object.keys(report.requests),
      // The counts come first in a model's entry, before its latency summaries and rates.
      ...Object.keys(model).slice(0, Object.keys(model).indexOf('ttft_ms')),
      ...Object.keys(report.routing.affinity),
    ];
    for (const k of counts)
      expect(defs, k).toMatch(new RegExp(`\`(requests\\.|models\\.<id>\\.|routing\\.affinity\\.)?${k}\``));
  });

  it('quotes the quickstart counts a run gives', () => {
    const models = Object.values(report.models);
    const attempts = models.reduce((a, m) => a + m.attempts, 0);
    const failed = models.reduce((a, m) => a + m.failed_attempts, 0);
    expect([report.requests.total, report.requests.completed, report.requests.failed]).toEqual([
      3000, 3000, 0,
    ]);
    expect(attempts).toBe(3025);
    expect(failed).toBe(25);
    expect(report.models['qwen-72b'].failed_attempts + report.models['llama-8b'].failed_attempts).toBe(25);
    expect(section).toContain(
      '3,000 requests, all completed, made 3,025 attempts: 25 failed on `qwen-72b` and `llama-8b`',
    );
  });
});
