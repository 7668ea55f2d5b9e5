import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, UserError } from '../../core/errors.js';
import { SeededRng } from '../../engine/rng.js';
import type { ArrivalRecord } from '../source.js';
import { parseInferencePerfProfile, readInferencePerfProfile } from './profile.js';
import { BLOCK_TOKENS, InferencePerfSource } from './source.js';

const DATA = join(import.meta.dirname, '..', '..', '..', 'data', 'vllm-h100', 'experiments');
const GENERAL = join(DATA, '20260217-231439-llama-2-7b-tp1-general');

const PROFILE = `data:
  type: shared_prefix
  shared_prefix:
    num_unique_system_prompts: 2
    num_users_per_system_prompt: 3
    system_prompt_len: 40
    question_len: 10
    output_len: 7
load:
  type: constant
  stages:
    - { rate: 2, duration: 3 }
    - { rate: 10, duration: 1 }
`;

function problems(text: string): string[] {
  try {
    parseInferencePerfProfile(text, 'p.yaml');
  } catch (err) {
    if (err instanceof UserError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

function drain(src: InferencePerfSource): ArrivalRecord[] {
  const out: ArrivalRecord[] = [];
  for (let r = src.next(); r !== null; r = src.next()) out.push({ ...r });
  return out;
}

describe('inference-perf profile', () => {
  it('reads the shipped profile (JSON text) and the resolved config spelling alike', () => {
    const p = readInferencePerfProfile(join(GENERAL, 'profile.yaml'));
    expect(p.data).toEqual({
      system_prompts: 9,
      users_per_prompt: 5,
      system_prompt_len: 100,
      question_len: 447,
      output_len: 248,
      multi_turn: true,
    });
    expect(p.load).toEqual({
      type: 'constant',
      stages: [
        { rate: 8, duration_s: 600 },
        { rate: 20, duration_s: 600 },
      ],
    });
    expect(p.request_timeout_s).toBe(300);
    const resolved = readInferencePerfProfile(join(GENERAL, 'inference-perf-config.yaml'));
    expect(resolved.data.system_prompts).toBe(10);
    expect(resolved.data.users_per_prompt).toBe(10);
    expect(resolved.request_timeout_s).toBe(300);
  });

  it('takes the client timeout when the profile sets one', () => {
    const p = parseInferencePerfProfile(`${PROFILE}  request_timeout: 30\n`, 'p.yaml');
    expect(p.request_timeout_s).toBe(30);
  });

  it('names file, line, column, field and accepted range of every problem', () => {
    const bad = PROFILE.replace('output_len: 7', 'output_len: -1').replace('rate: 10', 'rate: fast');
    expect(problems(bad)).toEqual([
      'p.yaml:8:17: data.shared_prefix.output_len: expected a whole number from 1 to 1000000, got -1',
      'p.yaml:13:15: load.stages.1.rate: expected a number above 0, at most 100000, got "fast"',
    ]);
    expect(problems(PROFILE.replace('type: shared_prefix', 'type: random'))).toEqual([
      'p.yaml:2:9: data.type: expected type shared_prefix (the only inference-perf data type routesim generates), got "random"',
    ]);
    expect(problems(PROFILE.replace('    num_users_per_system_prompt: 3\n', ''))).toEqual([
      'p.yaml:4:5: data.shared_prefix.num_users_per_system_prompt: missing; expected a whole number from 1 to 100000',
    ]);
    expect(problems('data: [1,\n')).toHaveLength(1);
    expect(problems('data: [1,\n')[0]).toMatch(/^p\.yaml:2:1: /);
  });
});

describe('inference-perf traffic', () => {
  it('sends exactly rate x duration requests per stage, in order, within the stage', () => {
    const p = parseInferencePerfProfile(PROFILE, 'p.yaml');
    const rs = drain(new InferencePerfSource(p, new SeededRng(1), Number.POSITIVE_INFINITY));
    expect(rs).toHaveLength(6 + 10);
    expect(rs.map((r) => r.stage)).toEqual([...Array(6).fill(0), ...Array(10).fill(1)]);
    const t = rs.map((r) => r.t_ms);
    expect(t.every((x, i) => i === 0 || x >= t[i - 1])).toBe(true);
    expect(t.slice(0, 6).every((x) => x >= 0 && x < 3000)).toBe(true);
    expect(t.slice(6).every((x) => x >= 3000 && x < 4000)).toBe(true);
    expect(rs.every((r) => r.prompt_tokens === 50 && r.output_tokens === 7)).toBe(true);
  });

  it('spaces constant load as inference-perf does: N uniform times in the stage, exponential-like gaps', () => {
    // 20,000 requests in 1,000 s: a Poisson process of 20/s conditioned on its count. Times uniform on the
    // stage (sd of the share before 500 s: sqrt(0.25 / 20,000) = 0.35%), gaps of mean 50 ms with a
    // coefficient of variation of 1 (an even spacing has 0) and P(gap > 100 ms) = e^-2 = 13.5%.
    const p = parseInferencePerfProfile(
      PROFILE.replace('rate: 2, duration: 3', 'rate: 20, duration: 1000'),
      'p.yaml',
    );
    const t = drain(new InferencePerfSource(p, new SeededRng(3), Number.POSITIVE_INFINITY))
      .filter((r) => r.stage === 0)
      .map((r) => r.t_ms);
    expect(t).toHaveLength(20_000);
    const half = t.filter((x) => x < 500_000).length / t.length;
    expect(Math.abs(half - 0.5)).toBeLessThan(0.015);
    const gaps = t.slice(1).map((x, i) => x - t[i]);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeCloseTo(50, 0);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
    const long = gaps.filter((g) => g > 100).length / gaps.length;
    expect(Math.abs(long - Math.exp(-2))).toBeLessThan(0.01);
  });

  it('gives prompts of one group the system prompt blocks and repeats each prompt every P*U requests', () => {
    const p = parseInferencePerfProfile(PROFILE, 'p.yaml');
    const rs = drain(new InferencePerfSource(p, new SeededRng(1), Number.POSITIVE_INFINITY));
    const sys = Math.floor(40 / BLOCK_TOKENS); // 2 full blocks of 16
    const total = Math.ceil(50 / BLOCK_TOKENS); // 4 blocks
    expect(rs[0].prefix_blocks).toHaveLength(total);
    // Users 0..2 share group 0's system blocks [0, 1]; users 3..5 group 1's [2, 3].
    for (let k = 0; k < 6; k++) expect(rs[k].prefix_blocks?.slice(0, sys)).toEqual(k < 3 ? [0, 1] : [2, 3]);
    expect(rs[0].prefix_blocks?.slice(sys)).not.toEqual(rs[1].prefix_blocks?.slice(sys));
    expect(rs[6].prefix_blocks).toEqual(rs[0].prefix_blocks);
    expect(rs[0].session_id).toBeUndefined();
  });

  it('draws poisson gaps at each stage rate, stopping at the horizon', () => {
    const p = parseInferencePerfProfile(
      PROFILE.replace('type: constant', 'type: poisson').replace(
        'rate: 2, duration: 3',
        'rate: 50, duration: 200',
      ),
      'p.yaml',
    );
    const rs = drain(new InferencePerfSource(p, new SeededRng(7), Number.POSITIVE_INFINITY));
    const first = rs.filter((r) => r.stage === 0).length;
    // 10,000 expected; a Poisson count's sd is 100.
    expect(first).toBeGreaterThan(9600);
    expect(first).toBeLessThan(10400);
    const cut = drain(new InferencePerfSource(p, new SeededRng(7), 1000));
    expect(cut.every((r) => r.t_ms < 1000)).toBe(true);
    expect(cut.length).toBeGreaterThan(20);
  });
});
