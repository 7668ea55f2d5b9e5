/**
 * The installed CLI as a user runs it: `node bin/routesim.js` on the compiled code in dist/ (built here
 * first when it is missing or older than src/). The compiled CLI answers --version with package.json's
 * version and a bare call with the usage (exit 2); its report.json, and a sweep's on two worker threads
 * (which must boot the compiled worker, not the tsx one), are byte-identical to the sources' in this
 * process. bin/freshness.js, which keeps a stale dist/ from running silently, is tested on a scratch tree.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { META_URL } from '../bin/code-cache.js';
import { distState, STAMP } from '../bin/freshness.js';
import { main } from '../src/cli/index.js';
import { internalErrorLine } from '../src/cli/report-error.js';
import { buildDistIfStale } from './testkit.js';

const ROOT = join(import.meta.dirname, '..');
const FILE = 'test/fixtures/sweep-small.yaml';
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const silent = { stdout: () => {}, stderr: () => {}, isTTY: false };
let tmp: string;

function routesim(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/routesim.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'routesim-bin-'));
  buildDistIfStale();
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bin/routesim.js, compiled', () => {
  it('prints the version and exits 0, with nothing on stderr (no tsx note: dist/ ran)', () => {
    expect(routesim('--version')).toEqual({ code: 0, out: `${PKG.version}\n`, err: '' });
  });

  it('prints the usage for a bare call, on stderr, and exits 2', () => {
    const r = routesim();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^routesim <command> \[options\]\n/);
    for (const c of ['run <file>', 'validate <files..>', 'sweep <file>', '--version'])
      expect(r.err).toContain(c);
  });

  it('writes the same report.json as the sources, stamped with the package version', async () => {
    const r = routesim('run', FILE, '--no-charts', '--quiet', '--out', join(tmp, 'bin'));
    expect(r).toEqual({ code: 0, out: '', err: '' });
    // bin/code-cache.js kept V8's code of the bundle for the next `run`, inside dist/.
    expect(readdirSync(join(ROOT, 'dist', '.cache')).some((f) => /^run-.*\.v8$/.test(f))).toBe(true);
    expect(await main(['run', FILE, '--no-charts', '--quiet', '--out', join(tmp, 'src')], silent)).toBe(0);
    const bin = readFileSync(join(tmp, 'bin', 'report.json'), 'utf8');
    expect(bin).toBe(readFileSync(join(tmp, 'src', 'report.json'), 'utf8'));
    expect(JSON.parse(bin).version).toBe(PKG.version);
  });

  it('runs a sweep on two compiled worker threads as one thread of sources does (same sweep.json)', async () => {
    const set = ['--set', 'router.strategy=least_loaded,round_robin', '--replications', '2', '--quiet'];
    const r = routesim('sweep', FILE, ...set, '--workers', '2', '--out', join(tmp, 'sweep-bin'));
    expect(r).toEqual({ code: 0, out: '', err: '' });
    const args = ['sweep', FILE, ...set, '--workers', '1', '--out', join(tmp, 'sweep-src')];
    expect(await main(args, silent)).toBe(0);
    const sweep = (d: string) => readFileSync(join(tmp, d, 'sweep.json'), 'utf8');
    expect(sweep('sweep-bin')).toBe(sweep('sweep-src'));
    expect(JSON.parse(sweep('sweep-bin')).variants).toHaveLength(2);
  });

  it('prints discover --yaml (the bundle once gave `await import("yaml")` no stringify: exit 3)', () => {
    const model = join(tmp, 'models', 'tiny.gguf');
    expect(routesim('gguf', 'synth', model).code).toBe(0);
    const r = routesim('discover', join(tmp, 'models'), '--yaml');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = parse(r.out) as { models: { id: string; backend: string; max_concurrency: number }[] };
    expect(doc.models).toHaveLength(1);
    expect(doc.models[0]).toMatchObject({ id: 'tiny', backend: 'gguf', max_concurrency: 4 });
  });

  it('stops quietly when the reader of its output goes away (`schema | head`: no EPIPE stack, exit 0)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/routesim.js'), 'schema'], { cwd: ROOT });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.destroy(); // closed before the CLI has started, so that its first write fails
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('names the reason when --out /dev/stdout is a socket (node spawns with socket stdio): exit 2, not a bug', () => {
    const args = ['trace', 'convert', 'data/azure-2023-code.csv', '--out', '/dev/stdout'];
    const r = routesim(...args); // spawnSync's stdout is a socket pair, which /dev/stdout cannot open
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'error: /dev/stdout: cannot write: no such device or address (a socket cannot be opened as a file; redirect to a file or pipe)\n',
    );
  });

  it('says so in one line when a file written to a closed pipe fails (`--out /dev/stdout | head`): exit 2, not a bug', () => {
    // A shell pipe, as a user has it (node's own child stdio is a socket, which /dev/stdout cannot open).
    // ~450 kB of rows, several times what a pipe holds: `head` leaves after 100 bytes, later writes fail.
    const convert = 'bin/routesim.js trace convert data/azure-2023-code.csv --out /dev/stdout';
    const cmd = `"${process.execPath}" ${convert} | head -c 100 >/dev/null; echo "exit \${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('error: the output was closed before all of it was written (EPIPE)\nexit 2\n');
  });
});

describe('the published package (npm pack)', () => {
  it('ships the compiled CLI but no code cache, and runs dist/ as installed (no sources, no tsx)', () => {
    // Without package.json "files", npm packed by .gitignore, which ignores dist/: an installed routesim
    // had no CLI to run (no tsx either, a devDependency: exit 3).
    const dir = mkdtempSync(join(tmp, 'pack-'));
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(pack.status).toBe(0);
    const [{ filename, files }] = JSON.parse(pack.stdout) as {
      filename: string;
      files: { path: string }[];
    }[];
    const paths = files.map((f) => f.path);
    for (const f of ['bin/routesim.js', 'bin/code-cache.js', 'dist/.build-stamp', 'dist/cli/index.cjs'])
      expect(paths).toContain(f);
    for (const f of ['dist/cli/worker.cjs', 'dist/cli/worker.js', 'profiles/h100-vllm.json'])
      expect(paths).toContain(f);
    expect(paths.filter((p) => p.startsWith('dist/.cache') || p.startsWith('src/'))).toEqual([]);
    execFileSync('tar', ['xzf', join(dir, filename), '-C', dir]);
    const pkg = join(dir, 'package');
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    const r = spawnSync(
      process.execPath,
      [join(pkg, 'bin/routesim.js'), 'validate', 'scenarios/quickstart.yaml'],
      {
        cwd: pkg,
        encoding: 'utf8',
      },
    );
    expect({ code: r.status, err: r.stderr }).toEqual({ code: 0, err: '' });
    expect(r.stdout).toMatch(/^scenarios\/quickstart\.yaml: ok /);
  }, 60_000);
});

describe('an internal error in the bundled CLI', () => {
  it('names the source file and line, read through the source map beside the bundle', () => {
    const bundle = join(ROOT, 'dist', 'cli', 'index.cjs');
    const lines = readFileSync(bundle, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('function reportError('));
    const src = readFileSync(join(ROOT, 'src/cli/report-error.ts'), 'utf8').split('\n');
    const line = src.findIndex((l) => l.startsWith('export function reportError(')) + 1;
    const err = new TypeError('planted');
    // bin/code-cache.js runs the bundle as a vm.Script named by its path: frames name the path, not a URL.
    err.stack = `TypeError: planted\n    at reportError (${bundle}:${at + 1}:1)`;
    expect(internalErrorLine(err)).toMatch(
      new RegExp(`^internal error: TypeError: planted \\(at src/cli/report-error\\.ts:${line}:\\d+\\)\\. `),
    );
  });

  it('prints a --debug stack naming src/ files, in strict mode, with no cache (Node maps no vm.Script)', () => {
    const cacheDir = join(tmp, 'mapped-cache');
    const strict = join(tmp, 'strict.cjs');
    writeFileSync(
      strict,
      `"use strict";\nmodule.exports.strict = (function () { return this; })() === undefined;\nmodule.exports.url = ${META_URL};\n`,
    );
    const js = `import { loadBundle } from ${JSON.stringify(join(ROOT, 'bin/code-cache.js'))};
      process.setSourceMapsEnabled(true); // as bin/routesim.js does under --debug
      const options = { cacheDir: ${JSON.stringify(cacheDir)}, command: 'validate' };
      const s = loadBundle(${JSON.stringify(strict)}, options).exports;
      process.stdout.write(JSON.stringify(s));
      const r = loadBundle(${JSON.stringify(join(ROOT, 'dist/cli/index.cjs'))}, options);
      const io = { stdout: () => { throw new TypeError('planted'); }, stderr: (t) => process.stderr.write(t), isTTY: false };
      process.exitCode = await r.exports.main(['validate', 'scenarios/quickstart.yaml', '--debug'], io);
      r.saveCache(process.exitCode);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', js], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ strict: true, url: pathToFileURL(strict).href });
    // The frame that called the planted io.stdout: its line in src/cli/validate.ts, not in the bundle.
    const src = readFileSync(join(ROOT, 'src/cli/validate.ts'), 'utf8').split('\n');
    const line = src.findIndex((l) => /io\.stdout\(`\S+: ok/.test(l)) + 1;
    expect(r.stderr).toContain(`\n    at validateCommand (${join(ROOT, 'src/cli/validate.ts')}:${line}:`);
    expect(r.stderr).not.toContain('index.cjs');
    expect(existsSync(cacheDir)).toBe(false);
  });

  it("names the source file and line of a frame in a sweep worker's bundle", () => {
    const bundle = join(ROOT, 'dist', 'cli', 'worker.cjs');
    const lines = readFileSync(bundle, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('async function runCell('));
    const src = readFileSync(join(ROOT, 'src/experiments/sweep/cell.ts'), 'utf8').split('\n');
    const line = src.findIndex((l) => /^export (async )?function runCell\(/.test(l)) + 1;
    const err = new TypeError('planted');
    err.stack = `TypeError: planted\n    at runCell (${bundle}:${at + 1}:1)`;
    expect(internalErrorLine(err)).toContain(`(at src/experiments/sweep/cell.ts:${line}:`);
  });
});

describe('bin/freshness.js', () => {
  /** A scratch package: src/a.ts and src/sub/b.ts written at t = 1000 s, a stamp at `stamp` s. */
  function tree(stamp: number | null): string {
    const root = mkdtempSync(join(tmp, 'tree-'));
    mkdirSync(join(root, 'src', 'sub'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    for (const f of ['src/a.ts', 'src/sub/b.ts']) writeFileSync(join(root, f), '');
    for (const f of ['src/a.ts', 'src/sub/b.ts', 'src/sub', 'src']) utimesSync(join(root, f), 1000, 1000);
    if (stamp !== null) {
      writeFileSync(join(root, STAMP), '');
      utimesSync(join(root, STAMP), stamp, stamp);
    }
    return root;
  }

  it('is fresh when the stamp is newer than every source', () => {
    expect(distState(tree(2000))).toEqual({ fresh: true });
  });

  it('is stale without a stamp (never built)', () => {
    expect(distState(tree(null))).toEqual({ fresh: false, why: 'dist/ has not been built' });
  });

  it('names the edited file when one source is newer than the stamp', () => {
    const root = tree(2000);
    utimesSync(join(root, 'src/sub/b.ts'), 3000, 3000);
    expect(distState(root)).toEqual({
      fresh: false,
      why: `${join('src', 'sub', 'b.ts')} changed after the last build`,
    });
  });

  it('is fresh when only files the build does not compile changed (tests, notes)', () => {
    const root = tree(2000);
    for (const f of ['src/sub/b.test.ts', 'src/README.md']) {
      writeFileSync(join(root, f), '');
      utimesSync(join(root, f), 3000, 3000);
    }
    for (const d of ['src/sub', 'src']) utimesSync(join(root, d), 1000, 1000);
    expect(distState(root)).toEqual({ fresh: true });
    utimesSync(join(root, 'src/sub/b.ts'), 3000, 3000);
    expect(distState(root).fresh).toBe(false);
  });

  it('names the folder when a file was deleted after the build (only the folder changed)', () => {
    const root = tree(2000);
    rmSync(join(root, 'src/a.ts'));
    utimesSync(join(root, 'src'), 3000, 3000);
    expect(distState(root)).toEqual({
      fresh: false,
      why: 'src/ (a file added or removed) changed after the last build',
    });
  });

  it('is fresh for a package that ships dist/ without src/', () => {
    const root = tree(500);
    rmSync(join(root, 'src'), { recursive: true });
    expect(distState(root)).toEqual({ fresh: true });
  });
});
