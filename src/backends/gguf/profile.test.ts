import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { fitProfile } from './calibrate.js';
import { loadProfile, profilePathFor, tryLoadProfile, writeProfile } from './profile.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pt = (kind: 'prefill' | 'decode', x: number, ms: number) => ({
  kind,
  x,
  ms,
  fit_ms: 0,
  ape_pct: 0,
  samples: [ms],
});

describe('profile files', () => {
  it('round-trips a fitted profile into the scenario latency model', () => {
    const profile = fitProfile('m.gguf', 'cpu (1 threads)', [
      pt('prefill', 10, 3),
      pt('prefill', 20, 5),
      pt('prefill', 40, 9),
      pt('decode', 1, 1.5),
      pt('decode', 2, 2),
      pt('decode', 3, 2.5),
    ]);
    expect(profile.prefill_base_ms).toBeCloseTo(1, 9);
    expect(profile.prefill_ms_per_token).toBeCloseTo(0.2, 9);
    expect(profile.decode_base_ms).toBeCloseTo(1, 9);
    expect(profile.decode_per_seq_ms).toBeCloseTo(0.5, 9);
    expect(profile.points[2].fit_ms).toBeCloseTo(9, 9);
    const path = join(dir, 'p.json');
    writeProfile(path, profile);
    const lat = loadProfile(path);
    expect(lat.model).toBe('profile');
    expect(lat.profile_path).toBe(path);
    expect(lat.prefill_ms_per_token).toBeCloseTo(0.2, 9);
    expect(lat.decode_per_seq_ms).toBeCloseTo(0.5, 9);
  });

  it('names the file and every bad coefficient', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({ prefill_base_ms: 1, prefill_ms_per_token: 'x', decode_base_ms: -1 }),
    );
    let err: unknown;
    try {
      loadProfile(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const msgs = (err as UserError).problems.map((p) => p.message);
    expect(msgs).toEqual([
      'prefill_ms_per_token must be a finite number',
      'decode_per_seq_ms must be a finite number',
    ]);
    expect((err as UserError).problems[0].file).toBe(path);
  });

  it('rejects negative coefficients, non-JSON and missing files', () => {
    const neg = join(dir, 'neg.json');
    writeFileSync(
      neg,
      JSON.stringify({
        prefill_base_ms: 0,
        prefill_ms_per_token: 1,
        decode_base_ms: -2,
        decode_per_seq_ms: 0,
      }),
    );
    expect(() => loadProfile(neg)).toThrow(UserError);
    const txt = join(dir, 'x.json');
    writeFileSync(txt, 'not json');
    expect(() => loadProfile(txt)).toThrow(/not a JSON profile/);
    expect(() => loadProfile(join(dir, 'none.json'))).toThrow(/profile file not found/);
    expect(tryLoadProfile(join(dir, 'none.json'))).toBeNull();
  });

  it('puts the default profile beside its model', () => {
    expect(profilePathFor('/m/tiny.gguf')).toBe('/m/tiny.profile.json');
    expect(profilePathFor('/m/Tiny.GGUF')).toBe('/m/Tiny.profile.json');
  });
});
