/**
 * The trace and fault scenarios (prefix-mooncake, burst-fault, azure-two-tenants) as a user meets them:
 * `routesim validate` accepts each one (exit 0), and a run meets every expectation of its `expect:` block.
 * azure-two-tenants also shows trace merging: the 1,482 rows of the Azure code trace's first 10 minutes and
 * the 1,000 synthetic chat requests all arrive.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/command.js';
import { main } from '../src/cli/index.js';
import { runScenario } from '../src/experiments/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');
const NEW = ['prefix-mooncake.yaml', 'burst-fault.yaml', 'azure-two-tenants.yaml'];

describe('trace and fault scenarios', () => {
  // The traces these scenarios replay ship in data/, so these always run.
  it('pass routesim validate', async () => {
    const out: string[] = [];
    const io: Io = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), isTTY: false };
    const code = await main(['validate', ...NEW.map((f) => join(SCENARIOS, f))], io);
    expect(out.join('')).not.toContain('error');
    expect(code).toBe(0);
  });

  it.each(NEW)('%s meets its expect: block', async (name) => {
    const r = loadScenarioFile(join(SCENARIOS, name));
    if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
    expect(r.scenario.expect.length).toBeGreaterThanOrEqual(4);
    const { report } = await runScenario(r.scenario);
    for (const e of report.expectations)
      expect(e.pass, `${e.metric} ${e.op} ${e.value}: ${e.actual}`).toBe(true);
    if (name === 'azure-two-tenants.yaml') {
      expect(report.requests.total).toBe(1482 + 1000);
      expect(report.requests.completed).toBe(report.requests.total);
    }
  });
});
