/**
 * The layer rule of src/README.md: a top-level folder of src/ imports only folders before it in LAYERS, and
 * no two source files import each other, directly or around a loop. Every kind of import counts: static,
 * `import type`, `export ... from` and dynamic `import()`. Tests (*.test.ts) are leaves and may reach up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS = [
  'core',
  'engine',
  'metrics',
  'router',
  'strategies',
  'backends',
  'traffic',
  'scenario',
  'run',
  'report',
  'experiments',
  'gateway',
  'cli',
];

const SRC = join(import.meta.dirname, '..', 'src');
const IMPORT =
  /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** file (relative to src, '/'-separated) -> relative files it imports, '.js' specifiers read as '.ts'. */
function importGraph(files: Map<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const target = normalize(join(dirname(file), (m[1] ?? m[2]) as string)).replaceAll('\\', '/');
      const candidates = [
        target,
        target.replace(/\.m?js$/, '.ts'),
        target.replace(/\.mjs$/, '.mts'),
        `${target}/index.ts`,
      ];
      deps.push(candidates.find((c) => files.has(c)) ?? target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Every import of a folder that comes later in LAYERS, as 'file -> target (layer -> layer)'. */
function upwardImports(graph: Map<string, string[]>): string[] {
  const rank = (f: string) => LAYERS.indexOf(f.split('/')[0] as string);
  const out: string[] = [];
  for (const [file, deps] of graph) {
    for (const d of deps) {
      if (rank(d) > rank(file))
        out.push(`${file} -> ${d} (${file.split('/')[0]} may not import ${d.split('/')[0]})`);
    }
  }
  return out;
}

/** One file loop per strongly connected group (Tarjan), each as 'a -> b -> ... -> a'. */
function cycles(graph: Map<string, string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) visit(w);
      if (stack.includes(w)) low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const group = stack.splice(stack.indexOf(v));
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push([...group, v].join(' -> '));
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.test.ts'))
        files.set(relative(SRC, p).replaceAll('\\', '/'), readFileSync(p, 'utf8'));
    }
  };
  walk(SRC);
  return files;
}

describe('layers of src/', () => {
  const graph = importGraph(sourceFiles());

  it('puts every top-level folder in the layer order', () => {
    const folders = new Set([...graph.keys()].map((f) => f.split('/')[0] as string));
    expect([...folders].filter((f) => !LAYERS.includes(f))).toEqual([]);
  });

  it('imports downwards only', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no file cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('catches a planted upward import of every kind, and a planted cycle', () => {
    const planted = new Map([
      ['core/a.ts', "import { x } from '../router/r.js';"],
      ['engine/b.ts', "import type { Y } from '../metrics/m.js';"],
      ['metrics/m.ts', "export { z } from '../cli/c.js';"],
      ['router/r.ts', "const s = await import('../strategies/s.js');"],
      ['cli/c.ts', ''],
      ['strategies/s.ts', "import './t.js';"],
      ['strategies/t.ts', "import { s } from './s.js';"],
    ]);
    const g = importGraph(planted);
    expect(upwardImports(g)).toEqual([
      'core/a.ts -> router/r.ts (core may not import router)',
      'engine/b.ts -> metrics/m.ts (engine may not import metrics)',
      'metrics/m.ts -> cli/c.ts (metrics may not import cli)',
      'router/r.ts -> strategies/s.ts (router may not import strategies)',
    ]);
    expect(cycles(g)).toEqual(['strategies/s.ts -> strategies/t.ts -> strategies/s.ts']);
  });
});
