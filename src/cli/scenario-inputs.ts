/**
 * The files a loaded scenario reads: the scenario itself, its traces, inference-perf profile, gguf models, latency
 * profiles and a serving engine's model config, GPU datasheet and coefficients file.
 * Output paths are checked against them, so that no `--out` can overwrite what the run reads.
 */
import { isAbsolute } from 'node:path';
import type { Traffic } from '../core/types.js';
import type { Scenario } from '../scenario/types.js';

/** Absolute paths of every file `scenario` names (no duplicates, in a stable order). */
export function scenarioInputs(scenario: Scenario): string[] {
  const out = new Set<string>();
  if (scenario.file) out.add(scenario.file);
  for (const m of scenario.models) {
    if (m.gguf) out.add(m.gguf.path);
    if (m.latency.model === 'profile') out.add(m.latency.profile_path);
    if (m.latency.model === 'engine') {
      const e = m.latency.engine;
      // A built-in GPU or shipped profile is a name, not a path.
      for (const f of [e.model_config, e.gpu, e.coefficients_path]) if (f && isAbsolute(f)) out.add(f);
    }
  }
  const traces = (t: Traffic) => (t.kind === 'merge' ? t.streams : [t]);
  for (const t of traces(scenario.traffic)) if (t.kind === 'trace') out.add(t.path);
  if (scenario.traffic.kind === 'inference_perf') out.add(scenario.traffic.profile.file);
  return [...out];
}
