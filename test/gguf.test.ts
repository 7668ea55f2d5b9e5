/**
 * The gguf path end to end on CPU, with models synthesized into a temporary folder: synth, discovery and
 * its error cases, the backend serving real attempts (exact token counts, concurrency, queueing, failures)
 * and calibration. The llama.cpp runtime (CPU, 1 thread) is shared by the whole file, so it loads once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptOutcome, BackendHost } from '../src/backends/backend.js';
import { createGgufBackend, type GgufBackend } from '../src/backends/gguf/backend.js';
import { calibrate } from '../src/backends/gguf/calibrate.js';
import { discoverGguf, inspectGguf, toModelSpec } from '../src/backends/gguf/discover.js';
import { writeGguf } from '../src/backends/gguf/gguf-writer.js';
import { loadProfile } from '../src/backends/gguf/profile.js';
import { sharedRuntime } from '../src/backends/gguf/runtime.js';
import {
  llamaMetadata,
  llamaTensors,
  resolveSynthOptions,
  synthesizeGguf,
} from '../src/backends/gguf/synth.js';
import { UserError } from '../src/core/errors.js';
import type { ModelSpec } from '../src/core/types.js';
import { runCli } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-gguf-'));
const models = join(dir, 'models');
const bad = join(dir, 'bad');
const tiny = join(models, 'tiny.gguf');
const CPU = { gpu: false as const, threads: 1 };

/** A host on wall-clock time that records outcomes in completion order. */
class RecordingHost implements BackendHost {
  readonly outcomes: AttemptOutcome[] = [];
  now(): number {
    return performance.now();
  }
  complete(o: AttemptOutcome): void {
    this.outcomes.push(o);
  }
  byId(id: number): AttemptOutcome {
    const o = this.outcomes.find((x) => x.id === id);
    if (!o) throw new Error(`no outcome for attempt ${id}`);
    return o;
  }
}

async function tinySpec(over: Partial<ModelSpec> = {}): Promise<ModelSpec> {
  const spec = toModelSpec(await inspectGguf(tiny), over);
  spec.gguf = { ...spec.gguf!, context_size: 256 };
  return spec;
}

beforeAll(async () => {
  mkdirSync(bad, { recursive: true });
  synthesizeGguf(tiny, { vocab: 300, context: 512 });
  // The failure zoo: each should be reported, naming its file.
  synthesizeGguf(join(bad, 'nonsense.gguf'), { architecture: 'nonsense', vocab: 300 });
  writeFileSync(join(bad, 'text.gguf'), 'this is not a model, just text');
  const full = readFileSync(tiny);
  writeFileSync(join(bad, 'short-header.gguf'), full.subarray(0, 2000));
  writeFileSync(join(bad, 'short-data.gguf'), full.subarray(0, full.length - 1000));
  // A header llama.cpp accepts from discovery's point of view but cannot load: a tensor is missing.
  const o = resolveSynthOptions({ vocab: 300 });
  writeGguf(
    join(dir, 'missing-tensor.gguf'),
    llamaMetadata(o),
    llamaTensors(o).filter((t) => t.name !== 'blk.1.ffn_down.weight'),
  );
  await sharedRuntime(CPU.gpu, CPU.threads);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('discovery', () => {
  it('reads a synthesized model into a registry entry', async () => {
    const { models: found, problems } = await discoverGguf(models);
    expect(problems).toEqual([]);
    expect(found).toHaveLength(1);
    const m = found[0];
    expect(m).toMatchObject({
      id: 'tiny',
      path: tiny,
      architecture: 'llama',
      quantization: 'F32',
      context_length: 512,
      layers: 2,
      embedding_length: 64,
      vocab_size: 300,
      tensors: 21,
      gguf_version: 3,
    });
    expect(m.parameters).toBe(2 * 64 * 300 + 2 * (4 * 64 * 64 + 3 * 64 * 192 + 2 * 64) + 64);
    const spec = toModelSpec(m, { max_concurrency: 3 });
    expect(spec).toMatchObject({ id: 'tiny', backend: 'gguf', max_concurrency: 3, context_length: 512 });
    expect(spec.gguf).toEqual({ path: tiny, gpu: 'auto', context_size: 512 });
  });

  it('names each unusable file and says what is wrong with it', async () => {
    const { models: found, problems } = await discoverGguf(bad);
    expect(found).toEqual([]);
    const byFile = Object.fromEntries(problems.map((p) => [p.file.split('/').pop(), p.message]));
    expect(byFile['nonsense.gguf']).toMatch(/^unsupported architecture 'nonsense'/);
    expect(byFile['text.gguf']).toMatch(/^not a GGUF file \(the first bytes are "this"/);
    expect(byFile['short-header.gguf']).toMatch(
      /^truncated header: it needs at least \d+ bytes, the file has 2000$/,
    );
    expect(byFile['short-data.gguf']).toMatch(/^truncated: the tensor data needs \d+ bytes/);
    expect(problems).toHaveLength(4);
    await expect(inspectGguf(join(dir, 'nope.gguf'))).rejects.toThrow(/nope\.gguf: model file not found/);
    await expect(discoverGguf(join(dir, 'nope'))).rejects.toBeInstanceOf(UserError);
  });

  it('works from the command line, with exit 2 and no stack for bad files', async () => {
    const synth = await runCli([
      'gguf',
      'synth',
      join(dir, 'cli', 'c.gguf'),
      '--layers',
      '1',
      '--width',
      '32',
      '--heads',
      '2',
    ]);
    expect(synth.code).toBe(0);
    expect(synth.out).toMatch(/1 layers, width 32, 2 heads/);
    const ok = await runCli(['discover', join(dir, 'cli'), '--json']);
    expect(ok.code).toBe(0);
    const parsed = JSON.parse(ok.out);
    expect(parsed.models[0].id).toBe('c');
    expect(parsed.models[0].backend).toBe('gguf');
    const ko = await runCli(['discover', bad]);
    expect(ko.code).toBe(2);
    expect(ko.err).toMatch(/nonsense\.gguf: unsupported architecture/);
    expect(ko.err).toMatch(/error: 4 of 4 \.gguf files could not be used/);
    expect(ko.err).not.toMatch(/\n\s+at /);
  });
});

describe('GgufBackend', () => {
  let backend: GgufBackend;
  const host = new RecordingHost();
  beforeAll(async () => {
    backend = await createGgufBackend(await tinySpec({ max_concurrency: 2, max_queue: 1 }), host, CPU);
  });
  afterAll(() => backend.close());

  it('serves exactly the requested tokens, with sane real times', async () => {
    expect(backend.state).toBe('ready');
    expect(backend.failure).toBeNull();
    expect(backend.device).toBe('cpu (1 threads)');
    expect(backend.gpuLayers).toBe(0);
    expect(backend.submit({ id: 1, prompt_tokens: 40, output_tokens: 12 })).toBe('accepted');
    await backend.idle();
    expect(backend.submit({ id: 2, prompt_tokens: 1, output_tokens: 1 })).toBe('accepted');
    await backend.idle();
    for (const [id, n] of [
      [1, 12],
      [2, 1],
    ]) {
      const o = host.byId(id);
      expect(o.kind).toBe('ok');
      expect(o.output_tokens).toBe(n);
      expect(o.cached_tokens).toBe(0);
      expect(o.queue_ms).toBeGreaterThanOrEqual(0);
      expect(o.ttft_ms).toBeGreaterThan(o.queue_ms);
      expect(o.e2e_ms).toBeGreaterThanOrEqual(o.ttft_ms);
      expect(o.detail).toBeUndefined();
    }
    expect(host.byId(1).e2e_ms).toBeGreaterThan(host.byId(1).ttft_ms);
  });

  it('runs max_concurrency sequences at once, queues FIFO beyond them, refuses past max_queue', async () => {
    host.outcomes.length = 0;
    expect(backend.submit({ id: 10, prompt_tokens: 30, output_tokens: 20 })).toBe('accepted');
    expect(backend.submit({ id: 11, prompt_tokens: 30, output_tokens: 20 })).toBe('accepted');
    expect(backend.submit({ id: 12, prompt_tokens: 10, output_tokens: 5 })).toBe('accepted');
    expect(backend.inService()).toBe(2);
    expect(backend.queued()).toBe(1);
    expect(backend.submit({ id: 13, prompt_tokens: 10, output_tokens: 5 })).toBe('queue_full');
    await backend.idle();
    expect(backend.inService()).toBe(0);
    expect(host.outcomes.map((o) => o.id).sort()).toEqual([10, 11, 12]);
    expect(host.outcomes.every((o) => o.kind === 'ok')).toBe(true);
    expect(host.byId(10).output_tokens).toBe(20);
    expect(host.byId(11).output_tokens).toBe(20);
    expect(host.byId(12).output_tokens).toBe(5);
    // The queued attempt started only once a slot freed, so it cannot be the first to finish.
    expect(host.outcomes[0].id).not.toBe(12);
    expect(host.byId(12).queue_ms).toBeGreaterThan(0);
    expect(host.byId(12).ttft_ms).toBeGreaterThan(host.byId(12).queue_ms);
  });

  it('reports no first token for zero outputs, and an error for more than the context holds', async () => {
    host.outcomes.length = 0;
    backend.submit({ id: 20, prompt_tokens: 8, output_tokens: 0 });
    backend.submit({ id: 21, prompt_tokens: 250, output_tokens: 50 });
    expect(host.outcomes).toEqual([]); // never reported from inside submit(), even when it fails at once
    await backend.idle();
    expect(host.byId(20)).toMatchObject({ kind: 'ok', output_tokens: 0 });
    expect(host.byId(20).ttft_ms).toBeNaN();
    expect(host.byId(21)).toMatchObject({ kind: 'error', output_tokens: 0 });
    expect(host.byId(21).detail).toMatch(/prompt \(250\) \+ output \(50\) tokens exceed the context \(256\)/);
    expect(backend.state).toBe('ready');
  });
});

describe('GgufBackend failures', () => {
  it('a model that fails to load is unavailable, with the cause named', async () => {
    const host = new RecordingHost();
    const base = await tinySpec();
    const unsupported = await createGgufBackend(
      { ...base, id: 'odd', gguf: { ...base.gguf!, path: join(bad, 'nonsense.gguf') } },
      host,
      CPU,
    );
    expect(unsupported.state).toBe('failed');
    expect(unsupported.failure).toMatch(
      /^model odd \(.*nonsense\.gguf\) failed to load: unsupported architecture 'nonsense'/,
    );
    expect(unsupported.submit({ id: 1, prompt_tokens: 1, output_tokens: 1 })).toBe('unavailable');

    const broken = await createGgufBackend(
      { ...base, id: 'broken', gguf: { ...base.gguf!, path: join(dir, 'missing-tensor.gguf') } },
      host,
      CPU,
    );
    expect(broken.state).toBe('failed');
    expect(broken.failure).toMatch(/^model broken .* failed to load: .*blk\.1\.ffn_down\.weight/);
    expect(broken.submit({ id: 2, prompt_tokens: 1, output_tokens: 1 })).toBe('unavailable');

    const missing = await createGgufBackend(
      { ...base, id: 'gone', gguf: { ...base.gguf!, path: join(dir, 'gone.gguf') } },
      host,
      CPU,
    );
    expect(missing.failure).toMatch(/failed to load: model file not found/);
    expect(host.outcomes).toEqual([]);
    await Promise.all([unsupported.close(), broken.close(), missing.close(), missing.close()]);
    expect(missing.state).toBe('closed');
  });

  it('a load that overruns its timeout fails instead of hanging', async () => {
    const b = await createGgufBackend(await tinySpec({ id: 'slow' }), new RecordingHost(), {
      ...CPU,
      load_timeout_ms: 1,
    });
    expect(b.state).toBe('failed');
    expect(b.failure).toMatch(/^model slow .* failed to load: loading timed out after 1 ms/);
    expect(b.submit({ id: 1, prompt_tokens: 1, output_tokens: 1 })).toBe('unavailable');
    await b.close();
  });

  it('a crash while serving fails that attempt and the queued ones, then refuses work', async () => {
    const host = new RecordingHost();
    const b = await createGgufBackend(await tinySpec({ max_concurrency: 1, max_queue: 4 }), host, CPU);
    expect(b.state).toBe('ready');
    expect(b.submit({ id: 1, prompt_tokens: 16, output_tokens: 50 })).toBe('accepted');
    expect(b.submit({ id: 2, prompt_tokens: 16, output_tokens: 50 })).toBe('accepted');
    // Pull the context out from under the running attempt, as a native crash would.
    await (b as unknown as { context: { dispose(): Promise<void> } }).context.dispose();
    await b.idle();
    expect(host.outcomes).toHaveLength(2);
    for (const o of host.outcomes) {
      expect(o.kind).toBe('error');
      expect(o.detail).toMatch(/^model tiny crashed while generating/);
    }
    expect(b.state).toBe('failed');
    expect(b.failure).toMatch(/crashed while generating/);
    expect(b.submit({ id: 3, prompt_tokens: 1, output_tokens: 1 })).toBe('unavailable');
    await b.close();
  });
});

describe('GgufBackend and its model file', () => {
  it('keeps serving what is in flight when the file is cut short, then fails, never taking the process down', async () => {
    // A copy of its own: the weights are read into memory (no mmap), so cutting the file cannot SIGBUS
    // the attempt generating at that moment; the next attempt finds the file changed and fails.
    const path = join(dir, 'cut-live.gguf');
    writeFileSync(path, readFileSync(tiny));
    const host = new RecordingHost();
    const base = await tinySpec({ id: 'cut', max_concurrency: 1, max_queue: 4 });
    const b = await createGgufBackend({ ...base, gguf: { ...base.gguf!, path } }, host, CPU);
    expect(b.state).toBe('ready');
    expect(b.submit({ id: 1, prompt_tokens: 16, output_tokens: 200 })).toBe('accepted');
    expect(b.submit({ id: 2, prompt_tokens: 16, output_tokens: 5 })).toBe('accepted');
    // Generation has started (200 tokens take far longer than a tick): cut the file under it.
    await new Promise((r) => setTimeout(r, 20));
    expect(b.inService()).toBe(1);
    expect(host.outcomes).toEqual([]);
    writeFileSync(path, readFileSync(tiny).subarray(0, 4096));
    await b.idle();
    expect(host.byId(1)).toMatchObject({ kind: 'ok', output_tokens: 200 });
    const size = readFileSync(tiny).length;
    expect(host.byId(2)).toMatchObject({
      kind: 'error',
      output_tokens: 0,
      detail: `model cut: the model file ${path} changed during the run (${size} bytes at load, 4096 now); stopped serving it`,
    });
    expect(b.state).toBe('failed');
    expect(b.failure).toBe(host.byId(2).detail);
    expect(b.submit({ id: 3, prompt_tokens: 1, output_tokens: 1 })).toBe('unavailable');
    await b.close();
  });

  it('fails the next attempt when the file is removed or rewritten in place', async () => {
    for (const change of ['remove', 'rewrite'] as const) {
      const path = join(dir, `${change}.gguf`);
      writeFileSync(path, readFileSync(tiny));
      const host = new RecordingHost();
      const base = await tinySpec({ id: change, max_concurrency: 1 });
      const b = await createGgufBackend({ ...base, gguf: { ...base.gguf!, path } }, host, CPU);
      b.submit({ id: 1, prompt_tokens: 4, output_tokens: 2 });
      await b.idle();
      expect(host.byId(1).kind).toBe('ok');
      if (change === 'remove') rmSync(path);
      // Same size, new bytes: told apart by the modification time.
      else {
        const bytes = readFileSync(tiny);
        writeFileSync(path, bytes.fill(0, bytes.length - 64));
      }
      b.submit({ id: 2, prompt_tokens: 4, output_tokens: 2 });
      await b.idle();
      expect(host.byId(2).kind).toBe('error');
      expect(host.byId(2).detail).toBe(
        change === 'remove'
          ? `model remove: the model file ${path} was removed during the run; stopped serving it`
          : `model rewrite: the model file ${path} was rewritten during the run; stopped serving it`,
      );
      expect(b.state).toBe('failed');
      await b.close();
    }
  });
});

describe('calibrate', () => {
  it('fits a profile from a small grid that the scenario loader and discovery read', async () => {
    const profile = await calibrate(tiny, {
      ...CPU,
      prompt_lengths: [8, 32, 96],
      max_seqs: 2,
      repeats: 1,
      decode_tokens: 4,
      decode_prompt_tokens: 4,
    });
    expect(profile.model).toBe('tiny.gguf');
    expect(profile.device).toBe('cpu (1 threads)');
    expect(profile.points.map((p) => `${p.kind}:${p.x}`)).toEqual([
      'prefill:8',
      'prefill:32',
      'prefill:96',
      'decode:1',
      'decode:2',
    ]);
    for (const p of profile.points) {
      expect(p.ms).toBeGreaterThan(0);
      expect(p.fit_ms).toBeCloseTo(
        p.kind === 'prefill'
          ? profile.prefill_base_ms + profile.prefill_ms_per_token * p.x
          : profile.decode_base_ms + profile.decode_per_seq_ms * p.x,
        9,
      );
    }
    for (const k of [
      'prefill_base_ms',
      'prefill_ms_per_token',
      'decode_base_ms',
      'decode_per_seq_ms',
    ] as const) {
      expect(profile[k]).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(profile[k])).toBe(true);
    }
    expect(profile.fit.prefill.points).toBe(3);
    expect(profile.fit.decode.points).toBe(2);
    expect(profile.fit.prefill.r2).toBeLessThanOrEqual(1);
  });

  it('writes the profile beside the model from the command line, where discovery picks it up', async () => {
    const r = await runCli([
      'calibrate',
      tiny,
      '--gpu',
      'false',
      '--threads',
      '1',
      '--max-seqs',
      '1',
      '--repeats',
      '1',
      '--prompt-lengths',
      '4,16',
      '--decode-tokens',
      '2',
    ]);
    expect(r.err).toMatch(/loaded tiny\.gguf on cpu \(1 threads\)/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/prefill {5}= [\d.]+ ms \+ [\d.]+ ms × prompt tokens {3}R² /);
    expect(r.out).toMatch(/wrote .*tiny\.profile\.json/);
    const lat = loadProfile(join(models, 'tiny.profile.json'));
    const spec = toModelSpec(await inspectGguf(tiny));
    expect(spec.latency).toEqual(lat);
    const ko = await runCli(['calibrate', join(bad, 'text.gguf'), '--gpu', 'false']);
    expect(ko.code).toBe(2);
    expect(ko.err).toMatch(/text\.gguf.*not a GGUF file/);
  });
});
