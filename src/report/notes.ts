/**
 * The `notes` of a model in report.json: why it could not serve, or how a gguf model was served (simulated
 * with its latency model, or live by llama.cpp), so a simulation is never passed off as the real model.
 */
import type { LiveModelInfo, RunResult } from '../run/result.js';

const SIMULATED = (backend: string) =>
  `backend ${backend}: simulated with its latency model (this run did not serve the real model)`;

/** The notes of model i (scenario order) in run `r`. */
export function modelNotes(r: RunResult, i: number): string[] {
  const m = r.scenario.models[i];
  const live = r.live?.models.find((x) => x.id === m.id);
  if (live !== undefined && r.live !== null)
    return [m.backend === 'openai' ? openaiNote(live, r.live.speed) : liveNote(live, r.live.speed)];
  if (m.load_problem) return [m.load_problem];
  return m.backend === 'sim' ? [] : [SIMULATED(m.backend)];
}

/** The note of an openai model replayed live at speed `speed`. */
function openaiNote(mi: LiveModelInfo, speed: number): string {
  const served = `backend openai: served live by ${mi.device}, latencies measured from the stream${speed !== 1 ? ` (wall-clock ms; replay speed ${speed})` : ''}`;
  if (mi.state === 'failed')
    return `${served}; unreachable at the start (${mi.failure}), unhealthy until its health probes passed`;
  return served;
}

/** The note of a gguf model served live at replay speed `speed`. */
function liveNote(mi: LiveModelInfo, speed: number): string {
  if (mi.state === 'failed')
    return `backend gguf: live run, ${mi.failure}; marked unhealthy from the start, the router routed around it`;
  const served = `backend gguf: served live by llama.cpp on ${mi.device || 'an unknown device'}, real measured latencies${speed !== 1 ? ` (wall-clock ms; replay speed ${speed})` : ''}`;
  if (mi.state === 'crashed')
    return `${served}; crashed at ${((mi.crashed_at_ms ?? 0) / 1000).toFixed(3)} s: ${mi.failure}; marked unhealthy, the router routed around it`;
  return served;
}
