/**
 * The README is the user's first contract. Its example scenario must load as written (it once named a
 * model `qwen-72b` in `ab_test` and `events` without declaring it), and every scenario key the schema
 * accepts must be named in its key list (`initially`, `phase`, `add` and `remove` were once missing).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { routerKeyDocs } from '../src/router/config.js';
import { scenarioJsonSchema } from '../src/scenario/json-schema.js';
import { loadScenario } from '../src/scenario/load.js';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const silent = { stdout: () => {}, stderr: () => {}, isTTY: false };

type Node = { properties?: Record<string, Node>; items?: Node; anyOf?: Node[]; oneOf?: Node[] };

/** Every property name in the schema under `at` (objects, arrays and unions walked). */
function keysUnder(node: Node | undefined, out = new Set<string>()): Set<string> {
  if (!node) return out;
  for (const [k, v] of Object.entries(node.properties ?? {})) {
    out.add(k);
    keysUnder(v, out);
  }
  keysUnder(node.items, out);
  for (const n of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) keysUnder(n, out);
  return out;
}

describe('README', () => {
  it('has an example scenario that loads without a problem', () => {
    const block = README.match(/```yaml\n([\s\S]*?)```/);
    expect(block).not.toBeNull();
    const r = loadScenario(block![1]!, 'README.md');
    expect(r.ok ? [] : r.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([]);
  });

  it('has an example scenario that runs to its expectations (it rejected 8,723 of 10,000 and failed them)', async () => {
    const block = README.match(/```yaml\n([\s\S]*?)```/)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'routesim-readme-'));
    const file = join(dir, 'example.yaml');
    writeFileSync(file, block);
    expect(await main(['run', file, '--no-charts', '--quiet', '--out', join(dir, 'out')], silent)).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.requests).toMatchObject({ total: 1500, completed: 1500, rejected: 0, failed: 0 });
  });

  it('names every scenario key of the schema (top level, router, models, traffic and events)', () => {
    const schema = scenarioJsonSchema() as Node;
    const top = schema.properties ?? {};
    const keys = new Set<string>(Object.keys(top));
    for (const section of ['router', 'models', 'traffic', 'events']) keysUnder(top[section], keys);
    // Distribution parameters and per-metric comparison operators are documented as groups, not one by one.
    const grouped = new Set(['dist', 'value', 'min', 'max', 'mean', 'median', 'p99', 'sd', 'shape', 'scale']);
    grouped.add('alpha').add('samples').add('file').add('cv').add('p').add('xm').add('stddev');
    const named = (k: string) => new RegExp(`\`[^\`]{0,200}\\b${k}\\b[^\`]{0,200}\``).test(README);
    const missing = [...keys].filter((k) => !grouped.has(k) && !named(k)).sort();
    expect(missing).toEqual([]);
  });

  it('has the router settings table that ROUTING_SETTINGS generates (defaults and meanings)', () => {
    const start = README.indexOf('### Router settings');
    const section = README.slice(start, README.indexOf('\n## ', start));
    const rows = section
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    const expected = routerKeyDocs().map((d) => [`\`${d.key}\``, d.default, d.description]);
    expect(rows.slice(0, expected.length)).toEqual(expected);
    expect(section.split('\n').filter((l) => l.startsWith('| `')).length).toBeGreaterThanOrEqual(
      expected.length,
    );
  });
});
