/**
 * `routesim calibrate --url` against a fake OpenAI-compatible server whose latencies follow the profile
 * model with known coefficients (src/backends/openai/fake-server.ts): the fit recovers them.
 * Tolerance, one-sided because the HTTP round trip, timer granularity and a busy machine's scheduling only
 * add to measured times (about 2 ms to a prefill and 0.5 ms to a decode step on an idle machine): the
 * fitted prefill and decode times at every measured point (each the median of 5 repeats) within −15% /
 * +40% of the true ones, and the two slopes within 30%.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../src/backends/openai/fake-server.js';
import { runCli } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-calurl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRUE = { prefill_base_ms: 60, prefill_ms_per_token: 0.5, decode_base_ms: 20, decode_per_seq_ms: 5 };

function near(what: string, got: number, want: number, rel: number): void {
  expect(Math.abs(got - want), `${what}: fitted ${got.toFixed(3)}, true ${want}`).toBeLessThanOrEqual(
    rel * want,
  );
}

/** A fitted time: at least 85% of the truth, at most 140% of it. */
function within(what: string, got: number, want: number): void {
  const msg = `${what}: fitted ${got.toFixed(3)}, true ${want}`;
  expect(got, msg).toBeGreaterThanOrEqual(0.85 * want);
  expect(got, msg).toBeLessThanOrEqual(1.4 * want);
}

describe('calibrate --url', () => {
  it('recovers the prefill and decode coefficients of an endpoint', async () => {
    const server = await startFakeOpenAI(TRUE, {
      model: 'served/model-7b',
      max_requests: 200,
      lifetime_ms: 60_000,
    });
    try {
      const out = join(dir, 'ep.profile.json');
      const r = await runCli([
        'calibrate',
        '--url',
        server.url,
        '--prompt-lengths',
        '16,64,128,256',
        '--max-seqs',
        '4',
        '--repeats',
        '5',
        '--decode-tokens',
        '6',
        '--out',
        out,
      ]);
      expect(r.err).not.toMatch(/Error/);
      expect(r.code).toBe(0);
      const p = JSON.parse(readFileSync(out, 'utf8'));
      expect(p.model).toBe('served/model-7b');
      expect(p.device).toBe(`${server.url} (model served/model-7b, chat API)`);
      for (const x of [16, 64, 128, 256])
        within(
          `prefill ${x}`,
          p.prefill_base_ms + p.prefill_ms_per_token * x,
          TRUE.prefill_base_ms + TRUE.prefill_ms_per_token * x,
        );
      for (const n of [1, 2, 3, 4])
        within(
          `decode ${n}`,
          p.decode_base_ms + p.decode_per_seq_ms * n,
          TRUE.decode_base_ms + TRUE.decode_per_seq_ms * n,
        );
      near('prefill slope', p.prefill_ms_per_token, TRUE.prefill_ms_per_token, 0.3);
      near('decode slope', p.decode_per_seq_ms, TRUE.decode_per_seq_ms, 0.3);
      // warm-up 1 + 4 lengths × 5 + (1+2+3+4) × 5 attempts, each with the model the server listed
      expect(server.requests).toHaveLength(1 + 20 + 50);
      expect(server.requests.every((q) => q.body.model === 'served/model-7b')).toBe(true);
      expect(r.out).toContain(`wrote ${out}`);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('is exit 2 with a clear reason for a server that is down, or a model file and --url both', async () => {
    const srv = createServer();
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    const down = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`;
    await new Promise<void>((res) => srv.close(() => res()));
    const r = await runCli(['calibrate', '--url', down, '--api-model', 'm', '--out', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${down}: connection refused`);
    expect(r.err).toContain(`cannot calibrate ${down}`);
    // Without --api-model it asks GET /models first: it said "listed no model to measure" of a server not there.
    const ask = await runCli(['calibrate', '--url', down, '--out', join(dir, 'x.json')]);
    expect(ask.code).toBe(2);
    expect(ask.err).toContain(`GET ${down}/models: cannot reach the server (ECONNREFUSED)`);
    const both = await runCli(['calibrate', 'm.gguf', '--url', 'http://127.0.0.1:9/v1']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('one of them');
    const bad = await runCli(['calibrate', '--url', 'localhost:8000']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--url must be an http:// or https:// base URL');
  });
});
