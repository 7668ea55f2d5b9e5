// `npm run build` (also `npm ci`'s prepare step): bundles src/ into dist/cli/ with esbuild, from scratch (a
// file deleted from src/ must not survive in dist/), then writes dist/.build-stamp dated to when the build
// started, so an edit made during the build counts as newer (bin/freshness.js). `--if-stale` builds only
// when bin/freshness.js says dist/ is not fresh.
//
// Why a bundle: Node loads an ES module graph file by file (resolve, stat, read, compile each of ~300
// modules), which cost a routesim call about 0.1–0.15 s before its first line ran. The bundle has two
// entries, dist/cli/index.js (the CLI) and dist/cli/worker.js (a sweep's worker thread), and one chunk per
// group of modules that is imported lazily (`await import(...)` in a command's `run`), so `--version` and
// `validate` still never load the simulator or the charts. The small packages every call or every
// scenario needs are bundled too, with their own dependencies (BUNDLED: yargs, zod, yaml and seedrandom
// are ~220 files Node would otherwise resolve and read one by one); the others stay outside the bundle,
// loaded by Node as before (vega, resvg, node-llama-cpp, hono and prom-client only when a command needs
// them). zod's translations of its error messages into other languages (z.locales, ~0.35 MB) are left
// out: routesim never selects one, and zod imports its English messages directly. yargs finds its own
// translations (it follows LANG) in the installed yargs package, as it does unbundled.
// Every file sits in dist/cli/, two folders below the package root like src/cli/ and src/core/, so the
// paths the code builds from import.meta.url (package.json, the worker's file) mean the same thing
// bundled or not. Types are checked by `npm run typecheck` (tsc), not here: esbuild only strips them.
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { distState, STAMP } from '../bin/freshness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv.includes('--if-stale') && distState(root).fresh) process.exit(0);

/** Packages bundled into dist/ (the rest are imported from node_modules at run time). */
const BUNDLED = new Set(['yargs', 'zod', 'yaml', 'seedrandom']);

/** `zod` for `zod/v4/core`, `@scope/name` for `@scope/name/x`. */
const packageName = (spec) => spec.split('/', spec.startsWith('@') ? 2 : 1).join('/');

const IN_PACKAGE = /[\\/]node_modules[\\/]/;

/** yargs' platform shim, which names its locales folder relative to its own file. */
const YARGS_SHIM = /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/;
const YARGS_LOCALES = "resolve(__dirname, '../../../locales')";

/**
 * Every bare import (a package or a node builtin) external except BUNDLED and what a bundled package
 * imports; zod's locales empty; yargs' locales folder found from the installed package at run time.
 */
const packages = {
  name: 'packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) =>
      BUNDLED.has(packageName(a.path)) || IN_PACKAGE.test(a.importer) ? undefined : { external: true },
    );
    b.onLoad({ filter: YARGS_SHIM }, async (a) => {
      const text = await readFile(a.path, 'utf8');
      if (!text.includes(YARGS_LOCALES)) throw new Error(`${a.path} no longer has ${YARGS_LOCALES}`);
      const installed = "join(dirname(require.resolve('yargs/package.json')), 'locales')";
      return { contents: text.replace(YARGS_LOCALES, installed), loader: 'js', resolveDir: dirname(a.path) };
    });
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (a) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(a.importer)
        ? { path: 'zod-locales', namespace: 'empty' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/** CommonJS packages bundled into ES modules (yaml) call require() for builtins: give every file one. */
const REQUIRE =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const started = new Date();
rmSync(join(root, 'dist'), { recursive: true, force: true });
try {
  await build({
    absWorkingDir: root,
    entryPoints: { 'cli/index': 'src/cli/index.ts', 'cli/worker': 'src/experiments/sweep/worker.ts' },
    outdir: 'dist',
    chunkNames: 'cli/chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    tsconfig: 'tsconfig.json',
    plugins: [packages],
    banner: { js: REQUIRE },
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
} catch {
  process.exit(1); // esbuild has printed the errors
}
const stamp = join(root, STAMP);
writeFileSync(stamp, `built ${started.toISOString()} from src/ by scripts/build.mjs\n`);
utimesSync(stamp, started, started);
