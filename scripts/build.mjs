// `npm run build` (also `npm ci`'s prepare step): bundles src/ into dist/cli/ with esbuild, from scratch (a
// file deleted from src/ must not survive in dist/), then writes dist/.build-stamp dated to when the build
// started, so an edit made during the build counts as newer (bin/freshness.js). `--if-stale` builds only
// when bin/freshness.js says dist/ is not fresh.
//
// Why a bundle: Node loads an ES module graph file by file (resolve, stat, read, compile each of ~300
// modules), which cost a routesim call about 0.1-0.15 s before its first line ran. The CLI is one CommonJS
// file, dist/cli/index.cjs, which bin/code-cache.js compiles as a vm.Script with V8's code cache (Node 20
// caches the code of no ES module): compiling it from the cache costs a few ms, where parsing the ES
// module chunks a `validate` loaded cost ~30 and compiling the functions it then called as much again.
// What a command imports lazily (`await import(...)` in its `run`) stays lazy inside the file: esbuild
// wraps each such module in an init function that runs on the first import, so `--version` and
// `validate` still never run the simulator's or the charts' module code. A sweep's worker thread is a
// second bundle, dist/cli/worker.cjs, started the same way by dist/cli/worker.js (WORKER_BOOT). The
// small packages every call or every scenario needs are bundled too, with their own dependencies
// (BUNDLED: yargs, zod, yaml and seedrandom are ~220 files Node would otherwise resolve and read one by
// one); the others stay outside the bundle, loaded by Node as before (vega, resvg, node-llama-cpp, hono
// and prom-client only when a command needs them). zod's translations of its error messages into other
// languages (z.locales, ~0.35 MB) are left out: routesim never selects one, and zod imports its English
// messages directly. yargs finds its own translations (it follows LANG) in the installed yargs package,
// as it does unbundled.
// Every file sits in dist/cli/, two folders below the package root like src/cli/ and src/core/, so the
// paths the code builds from import.meta.url (package.json, the worker's file; each bundle gets its own
// file's URL as a parameter, META_URL) mean the same thing bundled or not. Types are checked by `npm run
// typecheck` (tsc), not here: esbuild only strips them.
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { IMPORT, META_URL } from '../bin/code-cache.js';
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
 * string-width (yargs, cliui and wrap-ansi each have their own) builds an Intl.Segmenter and regexps over
 * Unicode properties (`\p{RGI_Emoji}`) as its module loads: 20-50 ms of every call that loads yargs.
 * Each import of it gets this stand-in instead, which loads the very module it stands for on the first
 * text that is not all printable ASCII: such a text is as wide as it is long in every version (8.3 says
 * so in its own fast path; 7.2 gives each of those characters width 1 and has no escape sequences to
 * strip in it), so `--help`, whose texts are ASCII, never builds the segmenter either.
 */
const lazyStringWidth = (path) => `let real;
export default function stringWidth(input, options) {
  if (typeof input === 'string' && /^[\\x20-\\x7e]*$/.test(input)) return input.length;
  real ??= require(${JSON.stringify(path)}).default;
  return real(input, options);
}
`;

/**
 * Every bare import (a package or a node builtin) external except BUNDLED and what a bundled package
 * imports; zod's locales empty; yargs' locales folder found from the installed package at run time;
 * string-width loaded on first use. Each `import("package")` of a package left outside is pushed to
 * `dynamicImports`, one entry per place in the code.
 */
const packages = (dynamicImports) => ({
  name: 'packages',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (a) => {
      if (a.pluginData === 'real') return undefined;
      const real = await b.resolve(a.path, {
        kind: a.kind,
        importer: a.importer,
        resolveDir: a.resolveDir,
        pluginData: 'real',
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (a) => ({
      contents: lazyStringWidth(a.path),
      loader: 'js',
      resolveDir: dirname(a.path),
    }));
    b.onResolve({ filter: /^[^./]/ }, (a) => {
      if (BUNDLED.has(packageName(a.path)) || IN_PACKAGE.test(a.importer)) return undefined;
      if (a.kind === 'dynamic-import') dynamicImports.push(a.path);
      return { external: true };
    });
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
});

/**
 * dist/cli/worker.js, the file experiments/sweep/pool.ts starts a worker thread on: the worker bundle through
 * V8's code cache, written as soon as the worker's modules are loaded (the pool terminates its workers).
 */
const WORKER_BOOT = `// Written by scripts/build.mjs: a sweep's worker thread, dist/cli/worker.cjs through bin/code-cache.js.
import { fileURLToPath } from 'node:url';
import { loadBundle } from '../../bin/code-cache.js';

const bundle = loadBundle(fileURLToPath(new URL('./worker.cjs', import.meta.url)), {
  cacheDir: fileURLToPath(new URL('../.cache', import.meta.url)),
  command: 'worker',
  enabled: process.env.ROUTESIM_CODE_CACHE !== '0',
});
bundle.saveCache(0);
`;

/** What both builds share: TypeScript from src/, node's builtins and the unbundled packages left external. */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  tsconfig: 'tsconfig.json',
  sourcemap: 'linked',
  sourcesContent: false,
  charset: 'ascii',
  logLevel: 'warning',
};

/**
 * Finishes the bundle `file` (the CLI's, the worker's) for bin/code-cache.js, which compiles it as a vm.Script:
 * - `import("vega")` becomes `IMPORT("vega")`, a function that bin/code-cache.js passes in: an `import()` in
 *   a vm.Script needs --experimental-vm-modules, or an ExperimentalWarning on stderr in Node 20. At most
 *   one per place where esbuild resolved an external dynamic import (`imports`; one in code it then
 *   dropped as unused has none), so a string that merely looks like one more fails the build.
 * - ASCII only: esbuild escapes every other character in code (charset 'ascii') but leaves those of the
 *   comments it keeps (`slot·ms`, `×`); one was enough to make V8 hold the bundle as a two-byte string,
 *   twice the memory and a slower read. Each UTF-16 unit becomes one `?`, so the source map's columns
 *   (UTF-16 units) stay right.
 */
function finishBundle(file, imports) {
  const text = readFileSync(file, 'utf8');
  const left = [...imports];
  const rewritten = text.replace(/\bimport\("([^"]+)"\)/g, (whole, spec) => {
    const i = left.indexOf(spec);
    if (i < 0) {
      if (imports.includes(spec)) throw new Error(`${file}: more import("${spec}") than esbuild resolved`);
      return whole;
    }
    left.splice(i, 1);
    return `${IMPORT}(${JSON.stringify(spec)})`;
  });
  writeFileSync(file, rewritten.replace(/[^\0-\x7f]/g, '?'));
}

/** `entry` bundled into dist/NAME.cjs as one CommonJS file; its external imports collected in `imports`. */
function bundle(name, entry, imports) {
  return build({
    ...common,
    plugins: [packages(imports)],
    entryPoints: { [name]: entry },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    define: { 'import.meta.url': META_URL },
  });
}

const cliImports = [];
const workerImports = [];
const started = new Date();
rmSync(join(root, 'dist'), { recursive: true, force: true });
try {
  await Promise.all([
    // The CLI: one CommonJS file that bin/code-cache.js compiles as a vm.Script with V8's code cache.
    bundle('cli/index', 'src/cli/index.ts', cliImports),
    // A sweep's worker thread, the same way (dist/cli/worker.js, written below, starts it).
    bundle('cli/worker', 'src/experiments/sweep/worker.ts', workerImports),
  ]);
} catch {
  process.exit(1); // esbuild has printed the errors
}
finishBundle(join(root, 'dist', 'cli', 'index.cjs'), cliImports);
finishBundle(join(root, 'dist', 'cli', 'worker.cjs'), workerImports);
writeFileSync(join(root, 'dist', 'cli', 'worker.js'), WORKER_BOOT);
const stamp = join(root, STAMP);
writeFileSync(stamp, `built ${started.toISOString()} from src/ by scripts/build.mjs\n`);
utimesSync(stamp, started, started);
