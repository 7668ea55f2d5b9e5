/**
 * bin/code-cache.js on scratch bundles (a cache written once per command after a call that ran, never
 * used for another text or a damaged file, old temporary files removed, nothing written where it cannot
 * be) and on the real one (a same-length corrupt cache of dist/cli/index.cjs never reaches V8); and the
 * build's string-width stand-in, checked against every copy of string-width it stands in for.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT, loadBundle, META_URL } from '../bin/code-cache.js';
import { buildDistIfStale } from './testkit.js';

const ROOT = join(import.meta.dirname, '..');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'routesim-code-cache-'));
  buildDistIfStale(); // the corrupt-cache test loads the real bundle
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bin/code-cache.js', () => {
  /** A scratch bundle of `text` (the same length each time this file is rewritten) and its cache folder. */
  function bundle(text: string): { file: string; cacheDir: string } {
    const dir = mkdtempSync(join(tmp, 'bundle-'));
    const file = join(dir, 'index.cjs');
    writeFileSync(file, text);
    return { file, cacheDir: join(dir, '.cache') };
  }
  const code = (v: number) =>
    [
      '"use strict";',
      `function f(x) { return x * ${v}; }`,
      'module.exports.v = f(1);',
      `module.exports.url = ${META_URL};`,
      "module.exports.req = typeof require('node:path').join;",
      `module.exports.imp = typeof ${IMPORT};`,
      '',
    ].join('\n');

  it('runs the bundle as CommonJS, with its file URL for import.meta.url, a require and an import()', () => {
    const b = bundle(code(2));
    const r = loadBundle(b.file, { cacheDir: b.cacheDir, command: 'run' });
    expect(r.exports).toEqual({ v: 2, url: pathToFileURL(b.file).href, req: 'function', imp: 'function' });
    expect(r.cached).toBe(false);
  });

  it('writes the cache after a command ran, once, then compiles from it', () => {
    const b = bundle(code(2));
    loadBundle(b.file, { cacheDir: b.cacheDir, command: 'validate' }).saveCache(0);
    const files = readdirSync(b.cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      new RegExp(`^validate-[0-9a-f]{16}-[0-9a-f]{8}-${process.version}-${process.arch}\\.v8$`),
    );
    const again = loadBundle(b.file, { cacheDir: b.cacheDir, command: 'validate' });
    expect(again.cached).toBe(true);
    expect(again.exports.v).toBe(2);
    loadBundle(b.file, { cacheDir: b.cacheDir, command: '--help' }).saveCache(1);
    expect(readdirSync(b.cacheDir).sort()).toEqual([`help-${files[0].slice(9)}`, files[0]]);
  });

  it('never runs the cache of another text of the same length (a rebuilt bundle), and replaces it', () => {
    const b = bundle(code(2));
    loadBundle(b.file, { cacheDir: b.cacheDir, command: 'run' }).saveCache(0);
    const old = readdirSync(b.cacheDir);
    writeFileSync(b.file, code(3));
    const r = loadBundle(b.file, { cacheDir: b.cacheDir, command: 'run' });
    expect(r.cached).toBe(false);
    expect(r.exports.v).toBe(3);
    r.saveCache(0);
    const now = readdirSync(b.cacheDir);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(old[0]);
  });

  it('compiles without a cache from a corrupt one, and writes a good one in its place', () => {
    // In a fresh process each time: V8 compiles a text it has compiled before from memory, without the file.
    const load = (file: string, cacheDir: string) => {
      const js = `import { loadBundle } from ${JSON.stringify(join(ROOT, 'bin/code-cache.js'))};
        const options = { cacheDir: ${JSON.stringify(cacheDir)}, command: 'run' };
        const r = loadBundle(${JSON.stringify(file)}, options);
        r.saveCache(0);
        process.stdout.write(JSON.stringify({ cached: r.cached, v: r.exports.v }));`;
      return JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', js], { encoding: 'utf8' }),
      );
    };
    const b = bundle(code(5));
    expect(load(b.file, b.cacheDir)).toEqual({ cached: false, v: 5 });
    expect(load(b.file, b.cacheDir)).toEqual({ cached: true, v: 5 });
    const [name] = readdirSync(b.cacheDir);
    writeFileSync(join(b.cacheDir, name), Buffer.alloc(4096, 7));
    expect(load(b.file, b.cacheDir)).toEqual({ cached: false, v: 5 });
    expect(load(b.file, b.cacheDir)).toEqual({ cached: true, v: 5 });
  });

  it('never hands V8 a cache whose bytes changed (same length): it compiles without, then writes a good one', () => {
    // V8's release builds check a cache's header, not its payload's checksum: four bytes changed at
    // offset 1,000 or 50,000 of a `validate` cache crashed Node (SIGTRAP), at 600,000 with SIGSEGV.
    const cacheDir = mkdtempSync(join(tmp, 'corrupt-'));
    const js = `import { loadBundle } from ${JSON.stringify(join(ROOT, 'bin/code-cache.js'))};
      const r = loadBundle(${JSON.stringify(join(ROOT, 'dist/cli/index.cjs'))}, { cacheDir: ${JSON.stringify(cacheDir)}, command: 'validate' });
      const code = await r.exports.main(['validate', 'scenarios/quickstart.yaml']);
      r.saveCache(code);
      process.stdout.write(\`\\n\${JSON.stringify({ cached: r.cached, code })}\`);`;
    const load = () => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', js], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      const last = r.status === 0 ? JSON.parse(r.stdout.split('\n').at(-1) ?? '') : r.stderr.slice(0, 200);
      return { status: r.status, signal: r.signal, last };
    };
    const ok = (cached: boolean) => ({ status: 0, signal: null, last: { cached, code: 0 } });
    expect(load()).toEqual(ok(false));
    expect(load()).toEqual(ok(true));
    const [name] = readdirSync(cacheDir);
    const good = readFileSync(join(cacheDir, name));
    for (const offset of [1_000, 50_000, 600_000]) {
      const bad = Buffer.from(good);
      bad.fill(0xff, offset, offset + 4);
      writeFileSync(join(cacheDir, name), bad);
      expect(load()).toEqual(ok(false));
      expect(readFileSync(join(cacheDir, name)).equals(bad)).toBe(false);
      expect(load()).toEqual(ok(true)); // the cache written in its place
    }
  }, 60_000);

  it("keeps each command's caches for other flags, the latest four (a flag that differs every call)", () => {
    const b = bundle(code(6));
    const before = process.env.NODE_OPTIONS;
    try {
      for (let i = 0; i < 6; i++) {
        process.env.NODE_OPTIONS = `--stack-size=${900 + i}`; // only read into the file name here
        loadBundle(b.file, { cacheDir: b.cacheDir, command: 'run' }).saveCache(0);
      }
    } finally {
      if (before === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = before;
    }
    expect(readdirSync(b.cacheDir)).toHaveLength(4);
  });

  it('removes a temporary file a killed writer left (10 minutes old), not one a writer is still writing', () => {
    const b = bundle(code(2));
    mkdirSync(b.cacheDir);
    const stale = join(b.cacheDir, '.validate-0123456789abcdef-01234567-v20.0.0-x64.v8.4242-0.tmp');
    const live = join(b.cacheDir, '.validate-0123456789abcdef-01234567-v20.0.0-x64.v8.4343-0.tmp');
    writeFileSync(stale, 'half');
    const old = (Date.now() - 11 * 60_000) / 1000;
    utimesSync(stale, old, old);
    writeFileSync(live, 'half');
    loadBundle(b.file, { cacheDir: b.cacheDir, command: 'run' }).saveCache(0);
    const files = readdirSync(b.cacheDir);
    expect(files).toHaveLength(2);
    expect(files).toContain(live.slice(b.cacheDir.length + 1));
    expect(files.some((f) => /^run-.*\.v8$/.test(f))).toBe(true);
  });

  it('writes nothing for a call that failed (exit 2: a typo names no command) or with the cache off', () => {
    const b = bundle(code(2));
    loadBundle(b.file, { cacheDir: b.cacheDir, command: 'rnu' }).saveCache(2);
    loadBundle(b.file, { cacheDir: b.cacheDir, command: 'run', enabled: false }).saveCache(0);
    expect(() => readdirSync(b.cacheDir)).toThrow(/ENOENT/);
  });

  it('runs as without a cache where the cache folder cannot be made (a file in its place), silently', () => {
    const b = bundle(code(2));
    writeFileSync(b.cacheDir, 'not a folder');
    const r = loadBundle(b.file, { cacheDir: b.cacheDir, command: 'run' });
    expect(r.exports.v).toBe(2);
    expect(() => r.saveCache(0)).not.toThrow();
    expect(readFileSync(b.cacheDir, 'utf8')).toBe('not a folder');
  });
});

describe("the build's string-width stand-in (scripts/build.mjs)", () => {
  // It answers `length` for printable ASCII without loading string-width (an Intl.Segmenter, Unicode
  // property regexps): true of each copy it stands in for, found from its importer as Node would.
  const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
  for (const importer of ['yargs', 'cliui', 'wrap-ansi']) {
    it(`counts printable ASCII as one column a character in ${importer}'s string-width`, async () => {
      const own = join(ROOT, 'node_modules', importer, 'node_modules', 'string-width');
      const dir = existsSync(own) ? own : join(ROOT, 'node_modules', 'string-width');
      const { default: width } = (await import(pathToFileURL(join(dir, 'index.js')).href)) as {
        default: (s: string, o?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }) => number;
      };
      for (const c of PRINTABLE) expect(width(c)).toBe(1);
      const text = `${PRINTABLE.repeat(3)}  routesim <command> [options]  `;
      expect(width(text)).toBe(text.length);
      expect(width(text, { ambiguousIsNarrow: false, countAnsiEscapeCodes: true })).toBe(text.length);
      expect(width('')).toBe(0);
    });
  }
});
