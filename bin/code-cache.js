// Runs the compiled CLI (dist/cli/index.cjs, one CommonJS bundle: scripts/build.mjs) with V8's code cache,
// so that a call does not parse and compile ~1.9 MB of JavaScript again: Node 20 caches no ES module's code
// (module.enableCompileCache came in Node 22), but a vm.Script takes the bytecode V8 serialized on an
// earlier call (`cachedData`), and compiling from it costs a few ms instead of ~30, plus the functions it
// holds are not compiled again lazily as they are first called.
//
// The cache is an optimisation that never decides what runs:
// - one file per command (`run`, `validate`, ...: what each call compiled differs) in dist/.cache/, inside
//   the package, removed with dist/ by every build;
// - named by a hash of the bundle's text and Node's flags, the Node version and the architecture, so a
//   rebuilt or edited bundle never meets bytecode of another text (V8 itself checks only the text's
//   length), and V8 rejects a file from another V8 version or set of flags;
// - written after the command, once (when missing or rejected), under a temporary name renamed into place,
//   so a reader never sees half a file; a cache folder that cannot be written (a read-only install) or a
//   file that cannot be read means compiling as without a cache, silently. ROUTESIM_CODE_CACHE=0 turns it
//   off;
// - ending in a SHA-1 of the bytes V8 wrote (SUM), checked before V8 sees them: V8's release builds check
//   a cache's header (magic number, version, flags, text length, payload length) but not its payload's
//   checksum (--verify-snapshot-checksum is on in debug builds only), and a payload with a few bytes
//   changed (a bad disk, a copy gone wrong) crashed Node in the deserializer (SIGTRAP, SIGSEGV) before any
//   routesim code ran. A file whose sum does not match is one V8 would have rejected.
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { threadId } from 'node:worker_threads';

/**
 * The bundle at `file` run as a CommonJS module whose `import.meta.url` (compiled to a parameter by the
 * build) is its own file URL. Returns its exports; `cached`, whether V8 took a cache; and
 * `saveCache(exitCode)`, which writes the code cache for `command` into `cacheDir` when none was used and
 * the command ran (exit 0 or 1), and never throws.
 * @param {string} file
 * @param {{ cacheDir: string, command: string | undefined, enabled?: boolean }} options
 * @returns {{ exports: Record<string, any>, cached: boolean, saveCache: (exitCode: unknown) => void }}
 */
export function loadBundle(file, { cacheDir, command, enabled = true }) {
  if (process.sourceMapsEnabled) return loadMapped(file);
  const bytes = readFileSync(file);
  const bundle = createHash('sha1').update(WRAPPER).update(bytes).digest('hex').slice(0, 16);
  // Node's flags too: V8 rejects a cache made under other flags, and two callers that alternate (a
  // profiler, a test runner) would each replace the other's file.
  const flags = createHash('sha1')
    .update(JSON.stringify([process.execArgv, process.env.NODE_OPTIONS ?? '']))
    .digest('hex')
    .slice(0, 8);
  const source = `${WRAPPER}${bytes.toString('utf8')}\n})`;
  const name = `${safeCommand(command)}-${bundle}-${flags}-${process.version}-${process.arch}.v8`;
  const cacheFile = join(cacheDir, name);
  const cachedData = enabled ? readOrNull(cacheFile) : null;
  const script = new vm.Script(source, {
    filename: file,
    cachedData: cachedData ?? undefined,
  });
  const cached = cachedData !== null && !script.cachedDataRejected;
  const module = { exports: /** @type {Record<string, any>} */ ({}) };
  script.runInThisContext()(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
    pathToFileURL(file).href,
    importPackage,
  );
  const saveCache = (code) => {
    if (!enabled || cached || (code !== 0 && code !== 1)) return;
    try {
      writeCache(cacheDir, cacheFile, name, script);
    } catch {
      // no cache: the next call compiles the bundle as this one did
    }
  };
  return { exports: module.exports, cached, saveCache };
}

/**
 * loadBundle where stack traces are to name the sources (--enable-source-maps, or bin/routesim.js under
 * --debug): Node maps the frames of the files its own CommonJS loader compiled, never a vm.Script's, so
 * the bundle goes through it, without a code cache. Its two parameters are read on its first line, after
 * its "use strict" (so that it stays a directive), which moves no line of the source map.
 */
function loadMapped(file) {
  const text = readFileSync(file, 'utf8');
  const strict = '"use strict";';
  const head = text.startsWith(strict) ? strict : '';
  const m = new Module(file);
  m.filename = file;
  m.paths = Module._nodeModulePaths(dirname(file));
  const boot = Symbol.for('routesim.boot');
  globalThis[boot] = [pathToFileURL(file).href, importPackage];
  try {
    const read = `var [${META_URL}, ${IMPORT}] = globalThis[Symbol.for('routesim.boot')];`;
    m._compile(`${head}${read}${text.slice(head.length)}`, file);
  } finally {
    delete globalThis[boot];
  }
  return { exports: m.exports, cached: false, saveCache: () => {} };
}

/**
 * The bundle's `import()` of a package left outside it (vega, node-llama-cpp), which the build rewrote as a
 * call of this parameter: a vm.Script's own import() needs --experimental-vm-modules, or in Node 20 prints
 * an ExperimentalWarning (vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER). Resolved from bin/ as from
 * dist/cli/: both find the package's node_modules.
 */
export const IMPORT = '__routesim_import';
const importPackage = (specifier) => import(specifier);

/** The parameter that stands for `import.meta.url` in the bundle (scripts/build.mjs defines it). */
export const META_URL = '__routesim_import_meta_url';

/** The bundle's text goes inside this function, as Node wraps a CommonJS file; on its first line, so the
 * bundle's line numbers (stack traces, the source map) stay. */
const WRAPPER = `(function (exports, require, module, __filename, __dirname, ${META_URL}, ${IMPORT}) {`;

/** A command word (or `--help`'s help) as the first part of a file name, without `-`; otherwise `_`. */
function safeCommand(command) {
  const word = typeof command === 'string' ? command.replace(/^--?/, '') : '';
  return /^[a-z][a-z0-9]{0,31}$/.test(word) ? word : '_';
}

/** Bytes of the SHA-1 that ends each cache file. */
const SUM = 20;

const sha1 = (data) => createHash('sha1').update(data).digest();

/** The V8 code cache in the file at `path` when its sum matches; null when missing, unreadable or corrupt. */
function readOrNull(path) {
  let file;
  try {
    file = readFileSync(path);
  } catch {
    return null;
  }
  if (file.length <= SUM) return null;
  const data = file.subarray(0, file.length - SUM);
  return sha1(data).equals(file.subarray(file.length - SUM)) ? data : null;
}

/** Caches kept per command and bundle text, for different flags or Nodes. */
const KEEP = 4;

/**
 * A temporary file older than this (ms) belongs to no writer still running: writing one takes
 * milliseconds, and a process killed in between (SIGKILL, Ctrl-C where no handler defers it, out of
 * memory) never removes its own.
 */
const STALE_TMP = 10 * 60_000;

/**
 * Writes `script`'s cache as `cacheFile`, removes the command's caches of other bundle texts, keeps
 * at most KEEP of this one's, and removes any temporary file a killed writer left.
 */
function writeCache(cacheDir, cacheFile, name, script) {
  mkdirSync(cacheDir, { recursive: true });
  accessSync(cacheDir, constants.W_OK); // before serializing: a read-only install pays nothing more
  const tmp = join(cacheDir, `.${name}.${process.pid}-${threadId}.tmp`); // sweep workers share a pid
  try {
    const data = script.createCachedData();
    writeFileSync(tmp, Buffer.concat([data, sha1(data)]));
    renameSync(tmp, cacheFile);
  } finally {
    rmSync(tmp, { force: true }); // a full disk leaves no half-written file behind
  }
  const [command, bundle] = name.split('-');
  const kept = [];
  const now = Date.now();
  for (const f of readdirSync(cacheDir)) {
    // Another process may remove a file between readdir and stat: it then counts as gone.
    const mtime = () => statSync(join(cacheDir, f), { throwIfNoEntry: false })?.mtimeMs ?? now;
    if (f.startsWith('.') && f.endsWith('.tmp')) {
      if (now - mtime() > STALE_TMP) rmSync(join(cacheDir, f), { force: true });
      continue;
    }
    const [c, b] = f.split('-');
    if (c !== command || !f.endsWith('.v8') || f === name) continue;
    if (b !== bundle) rmSync(join(cacheDir, f), { force: true });
    else kept.push({ f, t: mtime() });
  }
  // Other flags or Nodes (a profiler's, a test runner's): the most recent few, so that a flag that
  // differs on every call (--cpu-prof-name) cannot fill the folder.
  kept.sort((x, y) => y.t - x.t);
  for (const { f } of kept.slice(KEEP - 1)) rmSync(join(cacheDir, f), { force: true });
}
