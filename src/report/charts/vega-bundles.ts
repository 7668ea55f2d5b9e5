/**
 * vega and vega-lite, loaded from the single-file builds both packages publish (build/vega.min.js and
 * build/vega-lite.min.js, the files their package.json names for CDNs) instead of their ES module graphs:
 * the same code in one file each, so a run that draws charts parses two files, not ~270 modules (about
 * 0.1 s here, against 0.3 s). The charts are byte-identical either way (vega-bundles.test.ts). Should a
 * future version move the files, the packages' ordinary entry points are used instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let loaded: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

/** vega and vega-lite, loaded once per process (the first call pays, later calls share it). */
export function loadVega(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  const require = createRequire(import.meta.url);
  const vegaFile = join(dirname(require.resolve('vega')), 'vega.min.js');
  const vegaLiteFile = join(dirname(require.resolve('vega-lite')), 'vega-lite.min.js');
  if (!existsSync(vegaFile) || !existsSync(vegaLiteFile))
    return { vega: await import('vega'), vegaLite: await import('vega-lite') };
  const vega = umd(vegaFile, {}) as Vega;
  const vegaLite = umd(vegaLiteFile, { vega }) as VegaLite;
  return { vega, vegaLite };
}

/**
 * Evaluates a UMD bundle as CommonJS, its `require` answering only from `deps`. (Node's own require would
 * treat the file as an ES module, the packages being "type": "module", and the bundle would then write to
 * globalThis instead.)
 */
function umd(file: string, deps: Record<string, unknown>): unknown {
  const module = { exports: {} as unknown };
  const requireDep = (id: string) => {
    if (!(id in deps)) throw new Error(`${file} requires ${id}, which is not provided`);
    return deps[id];
  };
  compileFunction(readFileSync(file, 'utf8'), ['exports', 'module', 'require'], { filename: file })(
    module.exports,
    module,
    requireDep,
  );
  return module.exports;
}
