/**
 * The checked-in baselines (reports/baselines) are what `routesim check` gates pull requests on: they must
 * match what this version of the simulator produces for every scenario in scenarios/*.yaml, and every
 * scenario's expect: block must hold. When a deliberate change moves the numbers, refresh them with
 * `npx routesim check scenarios/*.yaml --baseline reports/baselines --update-baseline` and commit.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';

const ROOT = join(import.meta.dirname, '..');
const SCENARIOS = join(ROOT, 'scenarios');
const files = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(SCENARIOS, f));

describe('checked-in baselines', () => {
  it('has one baseline per scenario', () => {
    const baselines = readdirSync(join(ROOT, 'reports', 'baselines')).sort();
    expect(baselines).toEqual(
      files.map((f) => f.slice(SCENARIOS.length + 1).replace(/\.yaml$/, '.json')).sort(),
    );
  });

  it('every scenario passes `routesim check` against them (the traces ship in data/)', async () => {
    const out: string[] = [];
    const code = await main(
      [
        'check',
        ...files,
        '--baseline',
        join(ROOT, 'reports', 'baselines'),
        '--no-html',
        '--out',
        mkdtempSync(join(tmpdir(), 'routesim-bl-')),
      ],
      { stdout: (s) => out.push(s), stderr: (s) => out.push(s), isTTY: false },
    );
    expect(out.join(''), out.join('')).toMatch(/check passed/);
    expect(code).toBe(0);
  });
});
