/**
 * What every routesim call loads before its command runs: cli/index.ts and the command table
 * (cli/commands.ts, every command's module with its yargs builder). Their static imports must reach no
 * npm package: each command imports what it needs (zod schemas, yaml, vega, node-llama-cpp, hono) inside
 * its `run`, so that `--help`, `--version` and a command that needs none of them never pay for them. A
 * static import of a module that leads to one (cli/run.ts once imported report/tables.ts, and through it
 * the event kinds, every strategy and zod) fails here with the chain of imports. Read from esbuild's
 * view of the graph, the one the build bundles (type-only imports are gone).
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const STARTS = ['src/cli/index.ts', 'src/cli/commands.ts'];

/** Each npm package reached from STARTS by static imports, with the chain of files that reaches it. */
async function staticPackages(): Promise<Record<string, string>> {
  const r = await build({
    absWorkingDir: ROOT,
    entryPoints: STARTS,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    splitting: true,
    outdir: 'dist-unused',
    logLevel: 'silent',
  });
  const inputs = r.metafile.inputs;
  const from = new Map<string, string | null>(STARTS.map((s) => [s, null]));
  const queue = [...STARTS];
  const found: Record<string, string> = {};
  const chain = (f: string | null): string[] => (f === null ? [] : [f, ...chain(from.get(f) ?? null)]);
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const i of inputs[file]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) {
        if (!i.path.startsWith('node:') && !(i.path in found)) found[i.path] = chain(file).join(' <- ');
      } else if (!from.has(i.path)) {
        from.set(i.path, file);
        queue.push(i.path);
      }
    }
  }
  return found;
}

describe('start-up imports', () => {
  it('cli/index.ts and the command table import no npm package statically (each command loads its own)', async () => {
    expect(await staticPackages()).toEqual({});
  });
});
