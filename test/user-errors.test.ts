/**
 * User mistakes found by walking through the README on a fresh clone. Each once ended in a Node stack
 * trace and exit 1 (the code for "an expectation failed") instead of exit 2 with the path named: a trace
 * that is a folder, `--out` naming a file, `check --baseline` naming a scenario file. An empty trace file
 * once ran 0 requests and exited 0, every latency expectation passing on zeros. Later ones came from trying
 * every command with the mistakes users make: a misspelt command or option, a path that is not a trace, a
 * JUnit path that cannot be written, a model too large to synthesize.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { pathProblem } from '../src/cli/report-error.js';
import { captureIo, runCli, tempScenario } from './testkit.js';

const SMALL = `name: small
models:
  - id: a
    latency: { ttft: 10ms, tpot: 1ms }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 5 }
`;

describe('user mistakes that reach the file system', () => {
  it('a trace path that is a folder: exit 2, file:line:column, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-usererr-'));
    mkdirSync(join(dir, 'traces'));
    const file = join(dir, 's.yaml');
    writeFileSync(
      file,
      'name: s\nmodels:\n  - id: a\n    latency: { ttft: 10ms, tpot: 1ms }\ntraffic: { trace: traces, format: azure }\n',
    );
    const c = captureIo();
    expect(await main(['run', file, '--no-charts', '--out', join(dir, 'out')], c.io)).toBe(2);
    const err = c.err.join('');
    expect(err).toContain(`${file}:5:19: traffic.trace: trace is a folder, not a file`);
    expect(err).not.toMatch(/\n\s+at /);
    expect(await main(['validate', file], captureIo().io)).toBe(2);
  });

  it('an empty trace file with its format named: exit 2 at the trace key (it once ran 0 requests, exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-usererr-'));
    writeFileSync(join(dir, 'empty.csv'), '');
    const file = join(dir, 's.yaml');
    writeFileSync(
      file,
      'name: s\nmodels:\n  - id: a\n    latency: { ttft: 10ms, tpot: 1ms }\ntraffic: { trace: empty.csv, format: azure }\n',
    );
    const c = captureIo();
    expect(await main(['validate', file], c.io)).toBe(2);
    expect(c.err.join('')).toContain(`${file}:5:19: traffic.trace: trace file is empty`);
  });

  it('--out naming an existing file: exit 2 naming it, no stack trace', async () => {
    const { file } = tempScenario(SMALL, 'routesim-usererr-');
    const c = captureIo();
    expect(await main(['run', file, '--no-charts', '--quiet', '--out', file], c.io)).toBe(2);
    const err = c.err.join('');
    expect(err).toContain(`--out ${file} is the input ${file}: writing it would destroy the input`);
    expect(err).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, 'utf8')).toBe(SMALL); // untouched
  });

  it('check --baseline naming a file that is not a baseline folder or .json: exit 2, no stack trace', async () => {
    const { dir, file } = tempScenario(SMALL, 'routesim-usererr-');
    const c = captureIo();
    const code = await main(
      ['check', file, '--baseline', file, '--no-html', '--out', join(dir, 'out')],
      c.io,
    );
    expect(code).toBe(2);
    // Said once, before anything runs (it was read as a folder: "s.yaml/s.json: cannot open: ...", twice).
    expect(c.err.join('')).toBe(
      `error: --baseline ${file} is a file, not a folder of <scenario>.json baselines nor a .json baseline\n`,
    );
    expect(c.out.join('')).toBe('');
  });

  it('pathProblem names the path for file-system errors only; anything else keeps its stack', () => {
    const e = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
      code: 'EISDIR',
      path: '/x/y',
      syscall: 'read',
    });
    expect(pathProblem(e)).toBe('/x/y: cannot read: is a folder, not a file');
    expect(pathProblem(new Error('a bug'))).toBeNull();
    expect(pathProblem(Object.assign(new Error('no path'), { code: 'ENOENT' }))).toBeNull();
    expect(pathProblem(Object.assign(new Error('odd'), { code: 'EIO', path: '/x' }))).toBeNull();
  });
});

describe('a gguf model whose file is missing', () => {
  it('is marked unhealthy from the start, gets no traffic, and the report says why', async () => {
    const { dir, file } = tempScenario(
      `name: s
models:
  - { id: real, backend: gguf, path: gone.gguf }
  - { id: sim, latency: { ttft: 10ms, tpot: 1ms } }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 20 }
`,
      'routesim-nogguf-',
    );
    const c = captureIo();
    expect(await main(['run', file, '--no-charts', '--out', join(dir, 'out')], c.io)).toBe(0);
    expect(c.err.join('')).toMatch(/s\.yaml:3:\d+: .*model file not found/);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.models.real.attempts).toBe(0);
    expect(report.models.sim.attempts).toBe(20);
    expect(report.models.real.notes).toEqual([
      'model file not found: gone.gguf; marked unhealthy, no traffic sent to it',
    ]);
  });
});

describe('flags that do not fit', () => {
  it('--speed without --live and a --seed that is not a number: exit 2 with a plain message', async () => {
    const { dir, file } = tempScenario(SMALL, 'routesim-flags-');
    const a = captureIo();
    expect(await main(['run', file, '--speed', '2', '--no-charts', '--out', join(dir, 'o')], a.io)).toBe(2);
    expect(a.err.join('')).toContain('--speed given without --live (add --live)');
    const b = captureIo();
    expect(await main(['run', file, '--seed', 'abc', '--no-charts', '--out', join(dir, 'o')], b.io)).toBe(2);
    expect(b.err.join('')).toBe("error: --seed must be an integer, got 'abc'\n");
  });

  it('prints a lone problem once, not again as the summary line', async () => {
    const c = captureIo();
    expect(await main(['sweep', 'scenarios/mm1.yaml', '--set', 'foo'], c.io)).toBe(2);
    const text = c.err.join('');
    expect(text.match(/expected key=v1,v2/g)).toHaveLength(1);
  });

  it('prints a bad trace row once, with its line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-badrow-'));
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,4808,10\ngarbage,1,2\n',
    );
    const c = captureIo();
    expect(await main(['trace', 'stats', file], c.io)).toBe(2);
    expect(c.err.join('')).toBe(
      `${file}:3:1: TIMESTAMP must look like 2023-11-16 18:17:03.9799600, got 'garbage'\n`,
    );
  });
});

describe('mistakes found by trying every command on a fresh clone', () => {
  it('gguf synth of a model too large to make is exit 2 with the size and the limit (it was exit 3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-synth-'));
    const out = join(dir, 'huge.gguf');
    const c = captureIo();
    expect(await main(['gguf', 'synth', out, '--layers', '100000', '--width', '100000'], c.io)).toBe(2);
    expect(c.err.join('')).toBe(
      'error: bad synth options: the model would be 44,705,943 GiB of weights; gguf synth writes at most 2 GiB (lower --width, --layers, --vocab or --ff)\n',
    );
    expect(existsSync(out)).toBe(false);
    const ok = captureIo();
    expect(await main(['gguf', 'synth', out, '--layers', '4', '--width', '256'], ok.io)).toBe(0);
    expect(ok.out.join('')).toContain('3,475,712 parameters, 13,591 KiB\n'); // was "13591 KiB"
  });
});

describe('check --reporter junit with a --junit-out it cannot write', () => {
  it('is exit 2 before any scenario runs: no report folder (it ran them all, then refused the path)', async () => {
    const { dir, file } = tempScenario(SMALL, 'routesim-junit-');
    for (const junit of [file, dir]) {
      const out = join(dir, `out-${junit === file ? 'input' : 'folder'}`);
      const c = captureIo();
      const args = ['check', file, '--out', out, '--reporter', 'junit', '--junit-out', junit];
      expect(await main(args, c.io)).toBe(2);
      expect(c.out.join('')).toBe('');
      expect(existsSync(out)).toBe(false);
    }
    expect(readFileSync(file, 'utf8')).toBe(SMALL);
  });
});

describe('check over a file that does not exist', () => {
  it('says why in its case (text and JUnit), not only "1 problem in FILE"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-nofile-'));
    const missing = join(dir, 'nope.yaml');
    const c = captureIo();
    const args = ['check', missing, '--out', join(dir, 'out'), '--reporter', 'junit'];
    expect(await main(args, c.io)).toBe(2);
    expect(c.out.join('')).toContain(`ERROR    ${missing}: cannot read scenario: no such file\n`);
    expect(readFileSync(join(dir, 'out', 'junit.xml'), 'utf8')).toContain(
      `${missing}: cannot read scenario: no such file`,
    );
  });
});

describe('trace stats and convert on a path that is not a trace file', () => {
  it.each([
    ['missing', 'no such file'],
    ['a folder', 'is a folder, not a file'],
  ])('%s: exit 2, "cannot read trace: %s" (it was Node\'s ENOENT / EISDIR text)', async (what, why) => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-tracepath-'));
    const path = what === 'missing' ? join(dir, 'nope.csv') : dir;
    for (const args of [
      ['trace', 'stats', path],
      ['trace', 'convert', path, '--out', join(dir, 'x.jsonl')],
    ]) {
      const c = captureIo();
      expect(await main(args, c.io)).toBe(2);
      expect(c.err.join('')).toBe(`${path}: cannot read trace: ${why}\n`);
    }
  });
});

describe('a command or subcommand that does not exist', () => {
  it.each([
    [['bogus'], /^error: unknown command `bogus` \(commands: run, trace, gguf, .*, merge\)\n$/],
    [['rnu', 'x.yaml'], /^error: unknown command `rnu` \(did you mean `run`\?\)\n$/],
    [['trace', 'bogus', 'x'], /^error: unknown trace command `bogus` \(trace commands: stats, convert\)\n$/],
    [['gguf', 'synt', 'x.gguf'], /^error: unknown gguf command `synt` \(did you mean `synth`\?\)\n$/],
  ])('%j: exit 2 naming it (yargs said "Did you mean gguf?" for bogus)', async (args, message) => {
    const c = captureIo();
    expect(await main(args, c.io)).toBe(2);
    expect(c.err.join('')).toMatch(message);
  });
});

describe('a misspelt option', () => {
  it.each([
    [['run', 'x.yaml', '--no-chart'], 'error: unknown option --no-chart (did you mean --no-charts?)\n'],
    [['run', 'x.yaml', '--sead', '3'], 'error: unknown option --sead (did you mean --seed?)\n'],
    [
      ['check', 'x.yaml', '--update-basline'],
      'error: unknown option --update-basline (did you mean --update-baseline?)\n',
    ],
    [['run', 'x.yaml', '--bogus'], 'error: unknown option --bogus\n'],
    [['run', 'x.yaml', 'y.yaml'], 'error: unknown argument y.yaml\n'],
  ])(
    '%j: exit 2 with the flag as typed and the nearest one (it was "Unknown argument: chart")',
    async (args, message) => {
      const c = captureIo();
      expect(await main(args, c.io)).toBe(2);
      expect(c.err.join('')).toBe(message);
    },
  );
});

describe('--help says what a command writes', () => {
  it('run: report.html and charts/ too; fidelity --benchmark: its own default folder', async () => {
    const { command: run } = await import('../src/cli/run.js');
    expect(run.describe).toBe(
      'simulate a scenario and write report.json, run.json, summary.md, report.html and charts/',
    );
    const help = spawnSync(process.execPath, ['bin/routesim.js', 'fidelity', '--help'], { encoding: 'utf8' });
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('--benchmark: reports/fidelity/<experiment>/');
  });
});

describe('a misspelt metric to rank by', () => {
  it('sweep --metric and compare --rank-by suggest the nearest metric (they listed all 18)', async () => {
    const quick = 'scenarios/quickstart.yaml';
    const sweep = await runCli([
      'sweep',
      quick,
      '--set',
      'router.max_retries=1,2',
      '--metric',
      'latency.e2e_ms.p999',
    ]);
    expect(sweep.code).toBe(2);
    expect(sweep.err).toContain('(did you mean `latency.e2e_ms.p99`?)');
    const cmp = await runCli([
      'compare',
      quick,
      '--strategies',
      'least_loaded,round_robin',
      '--rank-by',
      'latency.ttft.p99',
    ]);
    expect(cmp.code).toBe(2);
    expect(cmp.err).toContain('(did you mean `latency.ttft_ms.p99`?)');
  });
});

describe('another strategy for a file with strategy_options', () => {
  it("run --strategy and compare --strategies drop the options of the file's strategy (it was exit 2)", async () => {
    const file = 'scenarios/crash-restart-prefix.yaml'; // prefix_aware, strategy_options: { max_imbalance }
    const dir = mkdtempSync(join(tmpdir(), 'routesim-otherstrategy-'));
    const r = join(dir, 'r');
    const runArgs = ['run', file, '--strategy', 'least_loaded', '--no-charts', '--quiet', '--out', r];
    // Exit 1, not 2: it runs, and the file's expectations (written for prefix_aware) are judged.
    expect(await main(runArgs, captureIo().io)).toBe(1);
    const report = JSON.parse(readFileSync(join(r, 'report.json'), 'utf8'));
    expect(report.config.router).toMatchObject({ strategy: 'least_loaded', strategy_options: {} });
    const strategies = ['--strategies', 'prefix_aware,least_loaded', '--replications', '1', '--workers', '1'];
    const cmpArgs = ['compare', file, ...strategies, '--quiet', '--out', join(dir, 'c')];
    expect(await main(cmpArgs, captureIo().io)).toBe(0);
  });
});

describe('a number in quotes, a YAML 1.1 boolean', () => {
  it('says what to write instead: YAML reads "10" and yes as text', async () => {
    const { file } = tempScenario(
      SMALL.replace('  - id: a\n', '  - id: a\n    max_concurrency: "10"\n').replace(
        'name: small\n',
        'name: small\nrouter: { session_affinity: yes }\n',
      ),
      'routesim-quoted-',
    );
    const c = captureIo();
    expect(await main(['validate', file], c.io)).toBe(2);
    const err = c.err.join('');
    expect(err).toContain(
      'max_concurrency: expected an integer from 1 to 100000, got string "10" (write 10 without quotes)',
    );
    expect(err).toContain('router.session_affinity: expected true or false, got string "yes" (write true)');
  });
});
