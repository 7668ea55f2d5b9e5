// `npm run build` (also `npm ci`'s prepare step): compiles src/ into dist/ with tsc -p tsconfig.build.json,
// from scratch (a file deleted from src/ must not survive in dist/), then writes dist/.build-stamp dated
// to when the build started, so an edit made during the build counts as newer (bin/freshness.js).
// `--if-stale` builds only when bin/freshness.js says dist/ is not fresh.
import { execFileSync } from 'node:child_process';
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distState, STAMP } from '../bin/freshness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv.includes('--if-stale') && distState(root).fresh) process.exit(0);

const started = new Date();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
} catch {
  process.exit(1);
}
const stamp = join(root, STAMP);
writeFileSync(stamp, `built ${started.toISOString()} from src/ by scripts/build.mjs\n`);
utimesSync(stamp, started, started);
