#!/usr/bin/env node
// Entry point for `npx routesim`. Runs the compiled CLI in dist/ (built by `npm ci`'s prepare step or
// `npm run build`) when it was built from the sources now in src/; otherwise, in a checkout whose sources
// changed since the build, it runs the TypeScript sources through tsx and says so on stderr, so a stale
// build never runs silently (bin/freshness.js decides). The exit code is the CLI's (0 ok, 1 a check or
// expectation failed, 2 invalid input, 3 an internal error); a CLI that fails to load is exit 3 here, in one
// line, its stack with --debug. dist/ runs through bin/code-cache.js, which keeps V8's compiled code of the
// bundle between calls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distState } from './freshness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);

/**
 * `routesim --version` as main() answers it (package.json's version, core/version.ts), without loading the
 * 1.9 MB bundle for it: the one call whose whole cost is start-up.
 */
async function printVersion() {
  let version = '0.0.0';
  try {
    version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {}
  process.stdout.write(`${version}\n`);
  return 0;
}

/** Writes the code cache of dist/ after the command (a no-op when it ran from a cache, or from src/). */
let saveCache = () => {};

async function loadMain() {
  const state = distState(root);
  if (state.fresh && argv.length === 1 && argv[0] === '--version') return printVersion;
  if (state.fresh) {
    // A stack printed for --debug names src/ files and lines (the bundle's source maps).
    if (argv.includes('--debug') || process.env.ROUTESIM_DEBUG === '1') process.setSourceMapsEnabled(true);
    const { loadBundle } = await import('./code-cache.js');
    const bundle = loadBundle(join(root, 'dist', 'cli', 'index.cjs'), {
      cacheDir: join(root, 'dist', '.cache'),
      command: argv.includes('--help') ? 'help' : argv[0], // `run --help` compiles no simulator
      enabled: process.env.ROUTESIM_CODE_CACHE !== '0',
    });
    saveCache = bundle.saveCache;
    return bundle.exports.main;
  }
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(`routesim: ${state.why} and tsx is not installed: run \`npm run build\`\n`);
    process.exit(3);
  }
  process.stderr.write(
    `routesim: ${state.why}; running the sources through tsx ` +
      '(slower start; `npm run build` compiles them)\n',
  );
  register();
  return (await import('../src/cli/index.ts')).main;
}

try {
  const main = await loadMain();
  process.exitCode = await main(argv);
  saveCache(process.exitCode);
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  if (argv.includes('--debug')) process.stderr.write(`${e.stack ?? e.message}\n`);
  else process.stderr.write(`routesim: internal error: ${e.message} (--debug prints the stack)\n`);
  process.exitCode = 3;
}
