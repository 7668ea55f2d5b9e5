/**
 * Outputs never destroy inputs and are whole or absent. Each case once went wrong: `trace convert X --out X`
 * emptied X and exited 0; `calibrate M.gguf --out M.gguf` replaced the model; a failed convert left a 0-byte
 * file; `--out /proc/x` spun at 100% CPU forever; `--out ""` wrote into the working folder; a re-run left the
 * previous run's charts; a crash left new charts beside the old report.json. Tests run as root, so
 * read-only places are /proc, /sys and a file standing where a folder is needed.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { captureIo } from './testkit.js';

/** captureIo with its output joined. */
function io() {
  const c = captureIo();
  return { io: c.io, out: () => c.out.join(''), err: () => c.err.join('') };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'routesim-outputs-'));
const TRACE = `${[0, 100, 250].map((t) => JSON.stringify({ t_ms: t, prompt_tokens: 50, output_tokens: 5 })).join('\n')}\n`;
const SMALL = `name: small
seed: SEED
models:
  - id: a
    latency: { ttft: 10ms, tpot: 1ms }
  - id: b
    latency: { ttft: 20ms, tpot: 1ms }
traffic: { arrivals: { process: poisson, rate: 10/s }, requests: 20 }
`;

describe('an output that is an input is refused, and the input kept', () => {
  it('trace convert X --out X, through a symlink and through a hard link: exit 2, X unchanged', async () => {
    const d = tmp();
    const x = join(d, 'x.jsonl');
    writeFileSync(x, TRACE);
    symlinkSync(x, join(d, 'link.jsonl'));
    linkSync(x, join(d, 'hard.jsonl'));
    for (const out of [x, join(d, 'link.jsonl'), join(d, 'hard.jsonl')]) {
      const c = io();
      expect(await main(['trace', 'convert', x, '--to', 'native', '--out', out], c.io)).toBe(2);
      expect(c.err()).toBe(
        `error: --out ${out} is the input ${x}: writing it would destroy the input; choose another path\n`,
      );
      expect(readFileSync(x, 'utf8')).toBe(TRACE);
    }
    const c = io();
    expect(await main(['trace', 'convert', x, '--to', 'native', '--out', join(d, 'y.jsonl')], c.io)).toBe(0);
    expect(readFileSync(join(d, 'y.jsonl'), 'utf8')).toBe(TRACE);
  });

  it('calibrate M.gguf --out M.gguf: exit 2 before measuring anything, the model unchanged', async () => {
    const d = tmp();
    const m = join(d, 'm.gguf');
    writeFileSync(m, 'GGUF not really a model');
    const c = io();
    expect(await main(['calibrate', m, '--out', m], c.io)).toBe(2);
    expect(c.err()).toContain(`--out ${m} is the input ${m}`);
    expect(readFileSync(m, 'utf8')).toBe('GGUF not really a model');
  });

  it('run --out naming the folder whose report.json is the baseline check reads: refused', async () => {
    const d = tmp();
    const s = join(d, 'small.yaml');
    writeFileSync(s, SMALL.replace('SEED', '1'));
    expect(await main(['check', s, '--no-html', '--out', d], io().io)).toBe(0);
    const baseline = join(d, 'small', 'report.json');
    const before = readFileSync(baseline, 'utf8');
    const c = io();
    expect(await main(['check', s, '--baseline', baseline, '--no-html', '--out', d], c.io)).toBe(2);
    expect(c.out()).toContain(`would replace report.json, which holds the input ${baseline}`);
    expect(readFileSync(baseline, 'utf8')).toBe(before);
  });
});

describe('a file is whole or absent', () => {
  it('a convert that fails on a bad row leaves no file, and keeps the previous one', async () => {
    const d = tmp();
    const x = join(d, 'x.jsonl');
    writeFileSync(x, `${TRACE}{"t_ms": "soon"}\n`);
    const out = join(d, 'out.jsonl');
    expect(await main(['trace', 'convert', x, '--to', 'native', '--out', out], io().io)).toBe(2);
    expect(existsSync(out)).toBe(false);
    writeFileSync(out, 'previous\n');
    expect(await main(['trace', 'convert', x, '--to', 'native', '--out', out], io().io)).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
    expect(readdirSync(d).sort()).toEqual(['out.jsonl', 'x.jsonl']); // no temporary file left
  });
});

describe('places that cannot be written: exit 2 with the reason, at once', () => {
  const d = tmp();
  const s = join(d, 's.yaml');
  writeFileSync(s, SMALL.replace('SEED', '1'));
  writeFileSync(join(d, 'file'), 'a file, not a folder');

  it.each([
    ['/proc/routesim-x', '/proc/routesim-x: cannot write: /proc takes no new files (a special file system'],
    ['/proc/routesim-x/y', '/proc/routesim-x: cannot mkdir: /proc takes no new files'],
    [
      join(d, 'file', 'out'),
      `${join(d, 'file')}: cannot mkdir: a file is in the way (a folder is needed there)`,
    ],
    ['', '--out is empty: name a file or folder to write'],
  ])('run --out %j', async (out, message) => {
    const c = io();
    const cwdBefore = readdirSync('.');
    expect(await main(['run', s, '--no-charts', '--quiet', '--out', out], c.io)).toBe(2);
    expect(c.err()).toContain(message);
    expect(c.err()).not.toMatch(/\n\s+at /);
    expect(readdirSync('.')).toEqual(cwdBefore);
  });

  it.skipIf(!existsSync('/sys/kernel'))('run --out /sys/x: permission denied, even for root', async () => {
    const c = io();
    expect(await main(['run', s, '--no-charts', '--quiet', '--out', '/sys/routesim-x'], c.io)).toBe(2);
    expect(c.err()).toBe('error: /sys/routesim-x: cannot write: permission denied\n');
  });

  it('schema --out, trace convert --out, gguf synth and check --junit-out under /proc: exit 2', async () => {
    const x = join(d, 'x.jsonl');
    writeFileSync(x, TRACE);
    for (const argv of [
      ['schema', '--out', '/proc/routesim.json'],
      ['schema', '--out', ''],
      ['trace', 'convert', x, '--to', 'native', '--out', '/proc/routesim.jsonl'],
      ['gguf', 'synth', '/proc/routesim.gguf'],
    ]) {
      const c = io();
      expect(await main(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err()).toMatch(
        /^error: (\/proc\/routesim\.\w+: cannot write: \/proc takes no new files|--out is empty)/,
      );
    }
  });
});

describe('an output folder is replaced as a unit', () => {
  it('a re-run removes the previous charts and report.html but keeps what routesim did not write', async () => {
    const d = tmp();
    const s = join(d, 's.yaml');
    writeFileSync(s, SMALL.replace('SEED', '1'));
    const out = join(d, 'out');
    expect(await main(['run', s, '--quiet', '--out', out], io().io)).toBe(0);
    expect(readdirSync(join(out, 'charts'))).toContain('share.png');
    writeFileSync(join(out, 'charts', 'stale.png'), 'from an older version');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    mkdirSync(join(out, 'sweep'));
    expect(await main(['run', s, '--quiet', '--out', out], io().io)).toBe(0);
    expect(readdirSync(join(out, 'charts'))).not.toContain('stale.png');
    expect(readdirSync(join(out, 'charts'))).toContain('share.png');
    expect(await main(['run', s, '--quiet', '--no-charts', '--out', out], io().io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['notes.txt', 'report.json', 'run.json', 'summary.md', 'sweep']);
  });

  it('a run interrupted while it writes never leaves its report beside the previous run’s charts', async () => {
    const d = tmp();
    const s = join(d, 's.yaml');
    const out = join(d, 'out');
    writeFileSync(s, SMALL.replace('SEED', '1'));
    expect(await main(['run', s, '--quiet', '--out', out], io().io)).toBe(0);
    const stale = join(out, 'charts', 'stale.png'); // stands for every chart of the previous run
    writeFileSync(stale, 'previous run');
    writeFileSync(s, SMALL.replace('SEED', '2'));
    const bin = join(import.meta.dirname, '..', 'bin', 'routesim.js');
    const child = spawn(process.execPath, [bin, 'run', s, '--quiet', '--out', out], { stdio: 'ignore' });
    const exited = new Promise<string | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    // Interrupt once the new report.json is in: the charts are being drawn.
    const seed = () => {
      try {
        return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).seed;
      } catch {
        return null; // between the two renames of a swap
      }
    };
    for (let i = 0; i < 6000 && child.exitCode === null && seed() !== 2; i++)
      await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    const signal = await exited;
    if (seed() === 2) {
      expect(existsSync(stale)).toBe(false);
      // Killed while drawing: the report without charts; else the whole new output.
      const drawn = existsSync(join(out, 'report.html'));
      expect(existsSync(join(out, 'charts'))).toBe(drawn);
      expect(readFileSync(join(out, 'summary.md'), 'utf8').includes('## Charts')).toBe(drawn);
      if (signal === 'SIGINT') expect(drawn).toBe(false);
    } else expect(existsSync(stale)).toBe(true); // the previous output, whole
    // A stage the killed process left is hidden, and the next run removes it.
    expect(await main(['run', s, '--quiet', '--no-charts', '--out', out], io().io)).toBe(0);
    expect(readdirSync(out).filter((e) => e.startsWith('.'))).toEqual([]);
  }, 60_000);

  it('a run that fails before writing leaves the previous folder untouched', async () => {
    const d = tmp();
    const s = join(d, 's.yaml');
    const out = join(d, 'out');
    writeFileSync(s, SMALL.replace('SEED', '1'));
    expect(await main(['run', s, '--quiet', '--no-charts', '--out', out], io().io)).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((e) => [e, readFileSync(join(out, e), 'utf8')]));
    // An unknown strategy is found after loading: the run never starts.
    expect(await main(['run', s, '--quiet', '--strategy', 'nope', '--out', out], io().io)).toBe(2);
    expect(Object.fromEntries(readdirSync(out).map((e) => [e, readFileSync(join(out, e), 'utf8')]))).toEqual(
      before,
    );
  });
});
