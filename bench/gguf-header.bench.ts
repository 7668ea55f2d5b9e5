/**
 * The scenario loader's gguf header check (backends/gguf/header.ts), which runs for every gguf model each
 * time a scenario loads: its cost against node-llama-cpp's readGgufFileInfo (what discovery and a live
 * load read first) on the same files. Two synthesized models, generated into the OS temp folder at
 * registration: the tests' tiny one (vocab 512) and one with a 32,000-token vocabulary, the size of a
 * Llama-2 tokenizer, since the vocabulary array is most of what a header holds. Writes
 * reports/bench/gguf-header.json.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, do_not_optimize, group } from 'mitata';
import { readGgufFileInfo } from 'node-llama-cpp';
import { checkGgufFile } from '../src/backends/gguf/header.js';
import { synthesizeGguf } from '../src/backends/gguf/synth.js';
import { loadLine, writeResults } from './results.js';

export const NAME = 'gguf-header';

const MODELS = [
  { name: 'vocab 512', opts: { vocab: 512 } },
  { name: 'vocab 32000', opts: { vocab: 32_000, layers: 1, width: 32, heads: 2, heads_kv: 2 } },
];

export function register(): void {
  const dir = mkdtempSync(join(tmpdir(), 'routesim-bench-gguf-'));
  group('gguf header: checkGgufFile vs readGgufFileInfo', () => {
    for (const m of MODELS) {
      const path = join(dir, `${m.name.replace(' ', '-')}.gguf`);
      synthesizeGguf(path, m.opts);
      bench(`check (${m.name})`, () => do_not_optimize(checkGgufFile(path)));
      bench(`readGgufFileInfo (${m.name})`, async () =>
        do_not_optimize(await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false })),
      );
    }
  });
}

interface Trial {
  runs: { name: string; stats?: { avg: number; p50: number } }[];
}

export function report(results: { benchmarks: Trial[] }): void {
  const p50 = new Map<string, number>();
  for (const t of results.benchmarks) for (const r of t.runs) if (r.stats) p50.set(r.name, r.stats.p50 / 1e6);
  const rows = MODELS.map((m) => {
    const check = p50.get(`check (${m.name})`) ?? Number.NaN;
    const full = p50.get(`readGgufFileInfo (${m.name})`) ?? Number.NaN;
    return { model: m.name, check_p50_ms: check, read_gguf_file_info_p50_ms: full, ratio: check / full };
  });
  console.log('\ngguf header check, median ms (check / readGgufFileInfo)');
  for (const r of rows)
    console.log(
      `  ${r.model.padEnd(12)} ${r.check_p50_ms.toFixed(3)} / ${r.read_gguf_file_info_p50_ms.toFixed(3)} = ${r.ratio.toFixed(2)}`,
    );
  console.log(loadLine());
  writeResults(NAME, { bench: NAME, node: process.version, arch: process.arch, results: rows });
}
