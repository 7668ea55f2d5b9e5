/**
 * `npm run bench [-- --filter NAME] [-- NAME...]`: registers the mitata groups of every bench file (or of
 * those whose NAME contains a --filter value or equals a positional name), runs mitata once, then lets
 * each file report (print its tables, write reports/bench/<name>.json). Afterwards it writes
 * reports/bench/summary.json: the machine (CPU model, cores, memory, node version, load average) and the
 * median and mean of every mitata bench run, and adds the same `machine` block to each file's own JSON.
 * Add a bench file to BENCHES.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { run } from 'mitata';
import * as ggufHeader from './gguf-header.bench.js';
import * as heap from './heap.bench.js';
import { resultsPath } from './results.js';
import * as route from './route.bench.js';
import * as simBackend from './sim-backend.bench.js';
import * as simulation from './simulation.bench.js';
import * as startup from './startup.bench.js';
import * as sweep from './sweep.bench.js';
import * as traffic from './traffic.bench.js';
import * as vllmEngine from './vllm-engine.bench.js';

export interface BenchModule {
  NAME: string;
  register(): void;
  // biome-ignore lint/suspicious/noExplicitAny: each file reads the part of mitata's result it needs
  report?(results: any): void | Promise<void>;
}

const BENCHES: BenchModule[] = [
  route,
  heap,
  traffic,
  simBackend,
  simulation,
  sweep,
  ggufHeader,
  startup,
  vllmEngine,
];

/** The machine a set of figures came from (recorded beside every result). */
export function machineInfo() {
  const c = cpus();
  return {
    cpu_model: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()} ${arch()}`,
    node: process.version,
    load_average_at_start: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** `--filter a --filter b` or `--filter=a,b` values, and bare names. */
function parseArgs(argv: string[]): { filters: string[]; names: string[] } {
  const filters: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--filter' && i + 1 < argv.length) filters.push(...argv[++i].split(','));
    else if (a.startsWith('--filter=')) filters.push(...a.slice('--filter='.length).split(','));
    else if (!a.startsWith('--')) names.push(a);
  }
  return { filters: filters.filter(Boolean), names };
}

const { filters, names } = parseArgs(process.argv.slice(2));
const chosen = BENCHES.filter(
  (b) =>
    (filters.length === 0 && names.length === 0) ||
    names.includes(b.NAME) ||
    filters.some((f) => b.NAME.includes(f)),
);
if (chosen.length === 0) {
  console.error(
    `no bench matches ${[...filters, ...names].join(', ')}; known: ${BENCHES.map((b) => b.NAME).join(', ')}`,
  );
  process.exit(2);
}
const machine = machineInfo();
console.log(
  `machine: ${machine.cpu_model}, ${machine.cores} cores, ${machine.memory_gib} GiB, ${machine.platform}, node ${machine.node}`,
);
const t0 = Date.now();
for (const b of chosen) b.register();
const results = await run();
for (const b of chosen) await b.report?.(results);

interface Run {
  name: string;
  stats?: { avg: number; p50: number; min: number; max: number; samples?: unknown[] };
}
const rows = (results.benchmarks as unknown as { runs: Run[] }[]).flatMap((t) =>
  t.runs
    .filter((r) => r.stats)
    .map((r) => ({ name: r.name, median_ns: r.stats!.p50, mean_ns: r.stats!.avg, min_ns: r.stats!.min })),
);
mkdirSync('reports/bench', { recursive: true });
for (const b of chosen) {
  const path = resultsPath(b.NAME);
  if (!existsSync(path)) continue;
  const body = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  writeFileSync(path, `${JSON.stringify({ ...body, machine }, null, 2)}\n`);
}
writeFileSync(
  'reports/bench/summary.json',
  `${JSON.stringify(
    {
      machine,
      benches: chosen.map((b) => b.NAME),
      wall_s: Math.round((Date.now() - t0) / 100) / 10,
      load_average_at_end: loadavg().map((x) => Math.round(x * 100) / 100),
      results: rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote reports/bench/summary.json (${rows.length} bench runs)`);
