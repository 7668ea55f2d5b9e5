/**
 * The rule "a scenario that validates runs to a complete report", fuzzed: random mutations of the example
 * scenarios (numbers scaled by powers of ten, signs flipped, zeros, keys dropped, entries duplicated, strings
 * swapped, types changed, lines duplicated) go through the loader and, when valid, a short run (horizon and
 * request count capped so each takes milliseconds). The loader may refuse a mutation and a run may stop on a
 * UserError (a bad trace row is found only while reading); anything else thrown is a bug, and the test
 * prints the YAML that caused it. Seeded, so a failure reproduces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { UserError } from '../src/core/errors.js';
import { runScenario } from '../src/experiments/run-scenario.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';

const DIR = join(import.meta.dirname, '..', 'scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ path: join(DIR, f), text: readFileSync(join(DIR, f), 'utf8') }));
/** Each run is cut to this much simulated time and this many requests. */
const RUN_HORIZON_MS = 5000;
const RUN_REQUESTS = 200;
/** 200 cases take seconds; ROUTESIM_FUZZ_RUNS and ROUTESIM_FUZZ_SEED explore further by hand. */
const NUM_RUNS = Number(process.env.ROUTESIM_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.ROUTESIM_FUZZ_SEED ?? 20261201);

type Json = unknown;
type Path = (string | number)[];

const STRINGS = [
  ...new Set(FILES.flatMap((f) => leaves(parse(f.text)).filter((v) => typeof v === 'string') as string[])),
  '',
  '0',
  '-1s',
  '1e400s',
  'NaN',
  '0/s',
  '1e308',
  '10h',
];

function leaves(v: Json): Json[] {
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(leaves);
  return [v];
}

/** Every path in the tree, the root's children first. */
function paths(v: Json, at: Path = []): Path[] {
  const out: Path[] = [];
  const entries: [string | number, Json][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : v !== null && typeof v === 'object'
      ? Object.entries(v)
      : [];
  for (const [k, x] of entries) out.push([...at, k], ...paths(x, [...at, k]));
  return out;
}

interface Mutation {
  kind: 'scale' | 'negate' | 'zero' | 'drop' | 'duplicate' | 'swap' | 'retype' | 'dupline';
  pick: number;
  power: number;
  choice: number;
}

const mutation = fc.record<Mutation>({
  kind: fc.constantFrom('scale', 'negate', 'zero', 'drop', 'duplicate', 'swap', 'retype', 'dupline'),
  pick: fc.nat(),
  power: fc.integer({ min: -12, max: 12 }),
  choice: fc.nat(),
});

/** A number as a string with a unit, or a value of another type altogether. */
function retyped(v: Json, choice: number): Json {
  const n = typeof v === 'number' ? v : 7;
  const options: Json[] = [
    `${n}ms`,
    `${n}/s`,
    `${n}h`,
    String(n),
    true,
    null,
    [],
    {},
    [v],
    { dist: 'fixed', value: n },
  ];
  return options[choice % options.length];
}

/** `data` with one mutation applied (the text form for line duplication). */
function mutate(data: Json, m: Mutation): Json {
  const numeric = (p: Path) => {
    const v = p.reduce<Json>((o, k) => (o as Record<string, Json>)[k], data);
    return typeof v === 'number' || (typeof v === 'string' && /^\d/.test(v));
  };
  // Number mutations aim at numbers (durations and rates included), the rest at any node.
  const numberKinds = ['scale', 'negate', 'zero'];
  const all = paths(data).filter((p) => !numberKinds.includes(m.kind) || numeric(p));
  if (all.length === 0) return data;
  const path = all[m.pick % all.length];
  const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string, Json>)[k], data) as
    | Record<string, Json>
    | Json[];
  const key = path[path.length - 1] as never;
  const value = parent[key] as Json;
  const set = (x: Json) => {
    parent[key] = x as never;
  };
  switch (m.kind) {
    case 'scale':
      if (typeof value === 'number') set(value * 10 ** m.power);
      else if (typeof value === 'string' && /^\d/.test(value))
        set(value.replace(/^[\d.]+/, (d) => String(Number(d) * 10 ** m.power)));
      break;
    case 'negate':
      if (typeof value === 'number') set(-value);
      else if (typeof value === 'string') set(`-${value}`);
      break;
    case 'zero':
      set(typeof value === 'string' ? value.replace(/^[\d.]+/, '0') : 0);
      break;
    case 'drop':
      if (Array.isArray(parent)) parent.splice(key, 1);
      else delete parent[key];
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key, 0, structuredClone(value));
      else {
        const keys = Object.keys(parent);
        parent[keys[m.choice % keys.length]] = structuredClone(value);
      }
      break;
    case 'swap':
      if (typeof value === 'string') set(STRINGS[m.choice % STRINGS.length]);
      break;
    case 'retype':
      set(retyped(value, m.choice));
      break;
    case 'dupline':
      break;
  }
  return data;
}

/** The mutated file's text. */
function mutatedText(text: string, ms: Mutation[]): string {
  let data = parse(text) as Json;
  for (const m of ms) if (m.kind !== 'dupline') data = mutate(data, m);
  let out = stringify(data);
  for (const m of ms) {
    if (m.kind !== 'dupline') continue;
    const lines = out.split('\n');
    const i = m.pick % lines.length;
    lines.splice(i, 0, lines[i]);
    out = lines.join('\n');
  }
  return out;
}

/** The loaded scenario cut short, so that each run takes milliseconds. */
function capped(s: Scenario): Scenario {
  const cut = structuredClone(s);
  cut.horizon_ms = Math.min(cut.horizon_ms, RUN_HORIZON_MS);
  const streams = cut.traffic.kind === 'merge' ? cut.traffic.streams : [cut.traffic];
  for (const t of streams) if (t.kind === 'synthetic') t.requests = Math.min(t.requests, RUN_REQUESTS);
  return cut;
}

const counts = { runs: 0, refused: 0, ran: 0, userErrors: 0 };

describe('fuzzed example scenarios', () => {
  it('validate or run to a report; nothing else is thrown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: FILES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (fileIndex, ms) => {
          const file = FILES[fileIndex];
          const text = mutatedText(file.text, ms);
          counts.runs++;
          try {
            const loaded = loadScenario(text, file.path);
            if (!loaded.ok) {
              expect(loaded.issues.length).toBeGreaterThan(0);
              counts.refused++;
              return;
            }
            try {
              const { report } = await runScenario(capped(loaded.scenario));
              JSON.stringify(report);
              counts.ran++;
            } catch (err) {
              if (!(err instanceof UserError)) throw err;
              counts.userErrors++;
            }
          } catch (err) {
            const e = err as Error;
            throw new Error(
              `${e.name}: ${e.message}\n${e.stack}\n--- ${file.path} mutated by ${JSON.stringify(ms)}:\n${text}`,
            );
          }
        },
      ),
      { seed: SEED, numRuns: NUM_RUNS, endOnFailure: true },
    );
    // The mix the fuzzer reached: some mutations validate and run, others are refused.
    console.log(`fuzz: ${JSON.stringify(counts)}`);
    expect(counts.runs).toBe(NUM_RUNS);
    expect(counts.ran).toBeGreaterThan(20);
    expect(counts.refused).toBeGreaterThan(20);
  }, 120_000);
});
