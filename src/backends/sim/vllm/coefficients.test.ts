import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COEFFICIENT_BOUNDS,
  COEFFICIENT_KEYS,
  type CoefficientsFile,
  coefficientsFor,
  formatCoefficientsFile,
  makeCoefficientsFile,
  PHYSICS_DEFAULTS,
  parseCoefficientsFile,
  readCoefficientsFile,
  writeCoefficientsFile,
} from './coefficients.js';

const file: CoefficientsFile = makeCoefficientsFile(
  'h100-sxm',
  { ...PHYSICS_DEFAULTS, memory_efficiency: 0.95 },
  {
    fitted_on: ['a', 'b'],
    per_model: { 'Llama-2-7b-hf': { step_overhead_ms: 2.5 } },
    fit: { e2e_mape: 0.04 },
  },
);

describe('coefficients file', () => {
  it('defaults lie within the bounds', () => {
    for (const k of COEFFICIENT_KEYS) {
      const [lo, hi] = COEFFICIENT_BOUNDS[k];
      expect(PHYSICS_DEFAULTS[k]).toBeGreaterThanOrEqual(lo);
      expect(PHYSICS_DEFAULTS[k]).toBeLessThanOrEqual(hi);
    }
  });

  it('writes and reads back the same, byte-stable; per_model overrides the shared set', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'routesim-coef-')), 'c.json');
    writeCoefficientsFile(path, file);
    const r = readCoefficientsFile(path);
    expect(r.ok && r.value).toEqual(file);
    expect(formatCoefficientsFile(r.ok ? r.value : file)).toBe(formatCoefficientsFile(file));
    expect(coefficientsFor(file, 'Llama-2-7b-hf')).toEqual({ ...file.coefficients, step_overhead_ms: 2.5 });
    expect(coefficientsFor(file, 'Mixtral-8x7B-v0.1')).toEqual(file.coefficients);
  });

  it('names every bad field', () => {
    const bad = {
      ...file,
      coefficients: { ...file.coefficients, compute_efficiency: 1.5, api_overhead_ms: undefined },
      per_model: { m: { nope: 1 } },
    };
    const r = parseCoefficientsFile(JSON.parse(JSON.stringify(bad)));
    expect(r.ok ? [] : r.problems).toEqual([
      'coefficients.compute_efficiency: must be a number in [0.05, 1], got 1.5',
      'coefficients.api_overhead_ms: missing (a number is required)',
      'per_model.m.nope: unknown coefficient (known: compute_efficiency, memory_efficiency, step_overhead_ms, seq_overhead_ms, allreduce_us, api_overhead_ms, layer_overhead_us, tp_first_token_ms)',
    ]);
  });

  it('reads a file written before layer_overhead_us and tp_first_token_ms existed, with their defaults', () => {
    const { layer_overhead_us: _, tp_first_token_ms: __, ...older } = file.coefficients;
    const r = parseCoefficientsFile(JSON.parse(JSON.stringify({ ...file, coefficients: older })));
    expect(r.ok && r.value.coefficients).toEqual({ ...older, layer_overhead_us: 20, tp_first_token_ms: 10 });
  });
});
