/**
 * A clone with nothing beside it runs every example: each trace a scenario replays resolves to a file inside
 * the repository (data/), and no scenario, test, benchmark, script or source file reaches outside it through
 * `../shared` (issue 12: on a fresh clone the CI gate exited 2 and the trace tests skipped silently).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..');

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, ext));
    else if (ext.test(e.name)) out.push(p);
  }
  return out;
}

/** Every `trace:` value anywhere in a parsed scenario (top-level traffic, streams, variants). */
function tracePaths(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const v of node) tracePaths(v, out);
  else if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === 'trace' && typeof v === 'string') out.push(v);
      else tracePaths(v, out);
    }
  return out;
}

describe('the checkout is self-contained', () => {
  const scenarios = filesUnder(join(ROOT, 'scenarios'), /\.ya?ml$/);

  it('every trace a scenario replays is a file inside the repository', () => {
    const traces = scenarios.flatMap((f) =>
      tracePaths(parse(readFileSync(f, 'utf8'))).map((t) => resolve(dirname(f), t)),
    );
    // azure-two-tenants and prefix-mooncake replay the two shipped traces.
    expect(traces.map((t) => relative(ROOT, t)).sort()).toEqual([
      join('data', 'azure-2023-code.csv'),
      join('data', 'mooncake-conversation.jsonl'),
    ]);
    for (const t of traces) expect(existsSync(t) && statSync(t).size > 0, t).toBe(true);
  });

  it('no scenario, test, benchmark, script or source reads ../shared', () => {
    const files = ['scenarios', 'test', 'bench', 'scripts', 'src'].flatMap((d) =>
      filesUnder(join(ROOT, d), /\.(ts|mts|mjs|js|ya?ml|md)$/),
    );
    files.push(join(ROOT, 'README.md'));
    const self = join(ROOT, 'test', 'checkout.test.ts');
    const offenders = files.filter(
      (f) => f !== self && /shared[/\\]data|'shared',\s*'data'/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
